output "load_balancer_dns" {
  value = aws_lb.main.dns_name
}

output "database_endpoint" {
  value = aws_db_instance.main.address
}

output "public_assets_bucket" {
  value = aws_s3_bucket.public_assets.bucket
}

output "private_media_bucket" {
  value = aws_s3_bucket.private_media.bucket
}

output "release_task_definition" {
  description = "aws ecs run-task --task-definition <this> ... before each deployment (deploy/RELEASE.md)"
  value       = aws_ecs_task_definition.app["release"].arn
}
