# Three services from one image: web (gunicorn behind the ALB), worker (Celery) and
# beat (exactly one). A fourth task definition, "release", runs deploy/release.sh
# (migrations) as a one-off task before a new revision rolls out (deploy/RELEASE.md).
resource "aws_ecs_cluster" "main" {
  name = local.name
  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

locals {
  environment = [
    { name = "DATABASE_URL", value = "postgis://cities@${aws_db_instance.main.address}:5432/cities?sslmode=require" },
    { name = "DB_POOL_MAX", value = "2" },
    { name = "PLATFORM_DOMAIN", value = var.platform_domain },
    { name = "PLATFORM_SCHEME", value = "https" },
    { name = "SECURE_COOKIES", value = "1" },
    { name = "SECURE_HSTS_SECONDS", value = "31536000" },
    # The ALB is the only proxy and appends the client's address to X-Forwarded-For.
    { name = "TRUSTED_PROXY_COUNT", value = "1" },
    # X-Forwarded-* headers are believed only from inside the VPC (the ALB).
    { name = "TRUSTED_PROXIES", value = var.vpc_cidr },
    { name = "FORWARDED_ALLOW_IPS", value = "*" },
    { name = "S3_PUBLIC_BUCKET", value = aws_s3_bucket.public_assets.bucket },
    { name = "S3_PRIVATE_BUCKET", value = aws_s3_bucket.private_media.bucket },
    { name = "S3_REGION", value = var.region },
    { name = "STATICFILES_STORAGE", value = "whitenoise.storage.CompressedManifestStaticFilesStorage" },
    { name = "EMAIL_BACKEND", value = var.email_backend },
    { name = "DEFAULT_FROM_EMAIL", value = var.default_from_email },
    { name = "SENTRY_ENVIRONMENT", value = var.environment },
    { name = "LOG_FORMAT", value = "json" },
    { name = "METRICS_ALLOWED_NETWORKS", value = var.vpc_cidr },
    { name = "WEB_CONCURRENCY", value = tostring(var.web_concurrency) },
    { name = "MIGRATION_PROCESSES", value = "4" },
  ]
  secrets = concat(
    [for key, secret in aws_secretsmanager_secret.app : { name = key, valueFrom = secret.arn }],
    [{ name = "DATABASE_PASSWORD", valueFrom = "${aws_db_instance.main.master_user_secret[0].secret_arn}:password::" }],
  )
  containers = {
    web     = ["sh", "-c", "rm -rf /tmp/metrics && mkdir -p /tmp/metrics && exec gunicorn -c deploy/gunicorn.conf.py"]
    worker  = ["celery", "-A", "learning_platform", "worker", "--loglevel=INFO", "--concurrency=2", "--max-tasks-per-child=500", "--without-gossip", "--without-mingle"]
    beat    = ["celery", "-A", "learning_platform", "beat", "--loglevel=INFO", "--schedule=/tmp/beat-schedule"]
    release = ["sh", "deploy/release.sh"]
  }
  sizes = {
    web     = { cpu = var.web_cpu, memory = var.web_memory }
    worker  = { cpu = var.worker_cpu, memory = var.worker_memory }
    beat    = { cpu = 256, memory = 512 }
    release = { cpu = 1024, memory = 2048 }
  }
}

resource "aws_iam_role" "execution" {
  name = "${local.name}-ecs-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role_policy" "execution_secrets" {
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = concat([for s in aws_secretsmanager_secret.app : s.arn], [aws_db_instance.main.master_user_secret[0].secret_arn])
      },
      {
        Effect   = "Allow"
        Action   = ["kms:Decrypt"]
        Resource = [aws_kms_key.data.arn]
      }
    ]
  })
}

# What the application itself may do: read and write media, nothing else.
resource "aws_iam_role" "task" {
  name = "${local.name}-ecs-task"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "task_media" {
  role = aws_iam_role.task.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
        Resource = ["${aws_s3_bucket.private_media.arn}/*", "${aws_s3_bucket.public_assets.arn}/*"]
      },
      {
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = [aws_s3_bucket.private_media.arn, aws_s3_bucket.public_assets.arn]
      },
      {
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource = [aws_kms_key.data.arn]
      },
      {
        Effect   = "Allow"
        Action   = ["ses:SendRawEmail", "ses:SendEmail"]
        Resource = ["arn:aws:ses:${var.region}:${local.account_id}:identity/*"]
      }
    ]
  })
}

resource "aws_ecs_task_definition" "app" {
  for_each                 = local.containers
  family                   = "${local.name}-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = local.sizes[each.key].cpu
  memory                   = local.sizes[each.key].memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "ARM64"
  }
  # The root file system is read-only; /tmp (metrics files, beat schedule) is a volume.
  volume {
    name = "tmp"
  }
  container_definitions = jsonencode([{
    name                   = each.key
    image                  = var.image
    command                = each.value
    essential              = true
    readonlyRootFilesystem = true
    user                   = "10001"
    environment            = local.environment
    secrets                = local.secrets
    mountPoints            = [{ sourceVolume = "tmp", containerPath = "/tmp", readOnly = false }]
    portMappings           = each.key == "web" ? [{ containerPort = 8000, protocol = "tcp" }] : []
    healthCheck = each.key == "web" ? {
      command  = ["CMD", "python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/livez', timeout=2)"]
      interval = 30
      timeout  = 5
      retries  = 3
    } : null
    stopTimeout = each.key == "worker" ? 120 : 30
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.app[each.key].name
        awslogs-region        = var.region
        awslogs-stream-prefix = each.key
      }
    }
  }])
}

resource "aws_ecs_service" "web" {
  name                               = "web"
  cluster                            = aws_ecs_cluster.main.id
  task_definition                    = aws_ecs_task_definition.app["web"].arn
  desired_count                      = var.web_count
  launch_type                        = "FARGATE"
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = 60
  enable_execute_command             = false
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
  network_configuration {
    subnets          = aws_subnet.private[*].id
    security_groups  = [aws_security_group.app.id]
    assign_public_ip = false
  }
  load_balancer {
    target_group_arn = aws_lb_target_group.web.arn
    container_name   = "web"
    container_port   = 8000
  }
  lifecycle {
    ignore_changes = [desired_count] # autoscaling owns it
  }
}

resource "aws_ecs_service" "worker" {
  name                               = "worker"
  cluster                            = aws_ecs_cluster.main.id
  task_definition                    = aws_ecs_task_definition.app["worker"].arn
  desired_count                      = var.worker_count
  launch_type                        = "FARGATE"
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  enable_execute_command             = false
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
  network_configuration {
    subnets          = aws_subnet.private[*].id
    security_groups  = [aws_security_group.app.id]
    assign_public_ip = false
  }
}

# Never two beats at once (every periodic task would run twice): stop the old one
# before starting the new one.
resource "aws_ecs_service" "beat" {
  name                               = "beat"
  cluster                            = aws_ecs_cluster.main.id
  task_definition                    = aws_ecs_task_definition.app["beat"].arn
  desired_count                      = 1
  launch_type                        = "FARGATE"
  deployment_minimum_healthy_percent = 0
  deployment_maximum_percent         = 100
  enable_execute_command             = false
  network_configuration {
    subnets          = aws_subnet.private[*].id
    security_groups  = [aws_security_group.app.id]
    assign_public_ip = false
  }
}

resource "aws_appautoscaling_target" "web" {
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.main.name}/${aws_ecs_service.web.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.web_min
  max_capacity       = var.web_max
}

resource "aws_appautoscaling_policy" "web_cpu" {
  name               = "${local.name}-web-cpu"
  service_namespace  = aws_appautoscaling_target.web.service_namespace
  resource_id        = aws_appautoscaling_target.web.resource_id
  scalable_dimension = aws_appautoscaling_target.web.scalable_dimension
  policy_type        = "TargetTrackingScaling"
  target_tracking_scaling_policy_configuration {
    target_value       = 60
    scale_in_cooldown  = 300
    scale_out_cooldown = 60
    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}
