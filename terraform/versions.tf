# Cities of Learning on AWS: VPC, RDS PostgreSQL 15 + PostGIS, ElastiCache Redis, S3,
# ECS Fargate (web, worker, beat), ALB + ACM wildcard + Route53, Secrets Manager,
# CloudWatch logs and alarms. See README.md in this folder.
#
# Checked here with `terraform fmt -check` and checkov (make test). `terraform init` /
# `validate` / `plan` need the AWS provider, which cannot be downloaded on the project's
# machines: this configuration has NOT been validated by terraform nor applied.
terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.70"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }

  # Remote state (fill in and uncomment): an S3 bucket with versioning + a lock table.
  # backend "s3" {
  #   bucket         = "example-terraform-state"
  #   key            = "cities-of-learning/production.tfstate"
  #   region         = "eu-central-1"
  #   dynamodb_table = "terraform-locks"
  #   encrypt        = true
  # }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project     = "cities-of-learning"
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  name       = "${var.name}-${var.environment}"
  azs        = slice(var.availability_zones, 0, var.az_count)
  account_id = data.aws_caller_identity.current.account_id
}
