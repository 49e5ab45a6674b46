variable "name" {
  description = "Short name used in resource names."
  type        = string
  default     = "col"
}

variable "environment" {
  description = "production, staging, ..."
  type        = string
  default     = "production"
}

variable "region" {
  description = "AWS region (EU, for the learners' data)."
  type        = string
  default     = "eu-central-1"
}

variable "platform_domain" {
  description = "Territories live on <slug>.<platform_domain>; the network site on the bare domain."
  type        = string
}

variable "route53_zone_id" {
  description = "Hosted zone of platform_domain."
  type        = string
}

variable "vpc_cidr" {
  type    = string
  default = "10.40.0.0/16"
}

variable "availability_zones" {
  description = "Zones, pinned: a zone AWS adds later must not move existing subnets."
  type        = list(string)
  default     = ["eu-central-1a", "eu-central-1b", "eu-central-1c"]
}

variable "az_count" {
  description = "Availability zones used (2 or 3)."
  type        = number
  default     = 2
}

variable "image" {
  description = "Container image (deploy/Dockerfile) with tag, e.g. <account>.dkr.ecr.<region>.amazonaws.com/cities-of-learning:1.4.0"
  type        = string
}

variable "db_instance_class" {
  type    = string
  default = "db.t4g.large"
}

variable "db_allocated_storage" {
  description = "GiB at start; storage autoscaling goes up to db_max_allocated_storage."
  type        = number
  default     = 50
}

variable "db_max_allocated_storage" {
  type    = number
  default = 500
}

variable "db_multi_az" {
  type    = bool
  default = true
}

variable "db_max_connections" {
  description = "PostgreSQL max_connections; web tasks x gunicorn workers x DB_POOL_MAX + workers must stay below it (deploy/SCALING.md)."
  type        = number
  default     = 400
}

variable "redis_node_type" {
  type    = string
  default = "cache.t4g.small"
}

variable "web_count" {
  description = "Web tasks at start (autoscaling moves between web_min and web_max)."
  type        = number
  default     = 2
}

variable "web_min" {
  type    = number
  default = 2
}

variable "web_max" {
  type    = number
  default = 8
}

variable "web_cpu" {
  type    = number
  default = 1024
}

variable "web_memory" {
  type    = number
  default = 2048
}

variable "web_concurrency" {
  description = "gunicorn worker processes per web task (2 x vCPU + 1)."
  type        = number
  default     = 3
}

variable "worker_count" {
  type    = number
  default = 1
}

variable "worker_cpu" {
  type    = number
  default = 512
}

variable "worker_memory" {
  type    = number
  default = 1024
}

variable "log_retention_days" {
  type    = number
  default = 365
}

variable "alarm_email" {
  description = "Where CloudWatch alarms are sent."
  type        = string
}

variable "email_backend" {
  type    = string
  default = "anymail.backends.amazon_ses.EmailBackend"
}

variable "default_from_email" {
  type = string
}

variable "sentry_dsn" {
  description = "Optional; stored in Secrets Manager."
  type        = string
  default     = ""
  sensitive   = true
}

variable "login_rate_limit" {
  description = "WAF: requests per 5 minutes per client address to sign-in, sign-up and claim paths."
  type        = number
  default     = 100
}
