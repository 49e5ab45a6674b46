# Keys the application reads at start, from Secrets Manager (ECS injects them as
# environment variables; they never appear in the task definition or in logs).
resource "random_password" "django_secret_key" {
  length  = 64
  special = false
}

# Encrypts the issuers' signing keys (Open Badges): never rotated by a release, as the
# stored keys could not be decrypted any more.
resource "random_password" "badges_key_secret" {
  length  = 64
  special = false
}

resource "aws_secretsmanager_secret" "app" {
  for_each                = toset(["SECRET_KEY", "BADGES_KEY_SECRET", "REDIS_URL", "SENTRY_DSN", "METRICS_TOKEN"])
  name                    = "${local.name}/${each.key}"
  kms_key_id              = aws_kms_key.data.arn
  recovery_window_in_days = 7
  #checkov:skip=CKV2_AWS_57:SECRET_KEY rotation logs everyone out and REDIS_URL follows the ElastiCache auth token; both are rotated by a release (terraform taint), not by a Lambda. The database password is rotated by RDS itself (manage_master_user_password).
}

resource "random_password" "metrics_token" {
  length  = 40
  special = false
}

resource "aws_secretsmanager_secret_version" "app" {
  for_each  = aws_secretsmanager_secret.app
  secret_id = each.value.id
  secret_string = {
    SECRET_KEY        = random_password.django_secret_key.result
    BADGES_KEY_SECRET = random_password.badges_key_secret.result
    REDIS_URL         = "rediss://:${random_password.redis.result}@${aws_elasticache_replication_group.main.primary_endpoint_address}:6379/0"
    SENTRY_DSN        = var.sentry_dsn
    METRICS_TOKEN     = random_password.metrics_token.result
  }[each.key]
}
