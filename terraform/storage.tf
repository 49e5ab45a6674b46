# Three buckets: private media (evidence, exports: presigned URLs only), public assets
# (logos, badge images: readable by anyone, cached for a year) and logs.

resource "aws_s3_bucket" "private_media" {
  bucket = "${local.name}-private-media-${local.account_id}"
  #checkov:skip=CKV_AWS_144:Cross-region replication is a business decision (data residency of minors' evidence); versioning + 14-day RDS snapshots cover restore. Enable when the operator picks a second EU region.
  #checkov:skip=CKV2_AWS_62:No consumer of S3 event notifications exists; nothing to notify.
}

resource "aws_s3_bucket" "public_assets" {
  bucket = "${local.name}-public-assets-${local.account_id}"
  #checkov:skip=CKV_AWS_144:Public images can be re-uploaded by territory staff; replication not worth the cost.
  #checkov:skip=CKV2_AWS_62:No consumer of S3 event notifications exists; nothing to notify.
  #checkov:skip=CKV_AWS_145:Objects are public on purpose; anonymous readers cannot use a KMS key, so SSE-S3 (AES256) is used.
  #checkov:skip=CKV2_AWS_6:It has a public access block (ACLs blocked); the policy part is open on purpose, see aws_s3_bucket_public_access_block.public_assets.
}

resource "aws_s3_bucket" "logs" {
  bucket = "${local.name}-logs-${local.account_id}"
  #checkov:skip=CKV_AWS_144:Access logs are kept one year in one region; replication not needed.
  #checkov:skip=CKV2_AWS_62:No consumer of S3 event notifications exists; nothing to notify.
  #checkov:skip=CKV_AWS_18:This is the access-log bucket itself; logging it into itself would loop.
  #checkov:skip=CKV_AWS_145:ALB access logs can only be written to buckets with SSE-S3, not SSE-KMS.
}

resource "aws_s3_bucket_ownership_controls" "all" {
  for_each = {
    private = aws_s3_bucket.private_media.id
    public  = aws_s3_bucket.public_assets.id
    logs    = aws_s3_bucket.logs.id
  }
  bucket = each.value
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "private_media" {
  bucket                  = aws_s3_bucket.private_media.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# Public assets: ACLs stay blocked; the bucket policy below grants read of objects.
resource "aws_s3_bucket_public_access_block" "public_assets" {
  bucket                  = aws_s3_bucket.public_assets.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = false #checkov:skip=CKV_AWS_54:The public-assets bucket's policy grants anonymous s3:GetObject on purpose (logos, badge images on public pages).
  restrict_public_buckets = false #checkov:skip=CKV_AWS_56:Same: anonymous reads of public images are the point of this bucket.
}

resource "aws_s3_bucket_policy" "public_assets" {
  #checkov:skip=CKV_AWS_70:Anonymous s3:GetObject on objects (not listing, not writing) is what a public-assets bucket is for.
  bucket = aws_s3_bucket.public_assets.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "PublicReadOfObjects"
        Effect    = "Allow"
        Principal = "*"
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.public_assets.arn}/*"
      },
      {
        Sid       = "TLSOnly"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.public_assets.arn, "${aws_s3_bucket.public_assets.arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      }
    ]
  })
  depends_on = [aws_s3_bucket_public_access_block.public_assets]
}

resource "aws_s3_bucket_policy" "private_media" {
  bucket = aws_s3_bucket.private_media.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "TLSOnly"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.private_media.arn, "${aws_s3_bucket.private_media.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

data "aws_elb_service_account" "main" {}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AlbAccessLogs"
        Effect    = "Allow"
        Principal = { AWS = data.aws_elb_service_account.main.arn }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.logs.arn}/alb/*"
      },
      {
        Sid       = "S3ServerAccessLogs"
        Effect    = "Allow"
        Principal = { Service = "logging.s3.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.logs.arn}/s3/*"
      }
    ]
  })
}

resource "aws_s3_bucket_versioning" "all" {
  for_each = {
    private = aws_s3_bucket.private_media.id
    public  = aws_s3_bucket.public_assets.id
    logs    = aws_s3_bucket.logs.id
  }
  bucket = each.value
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "private_media" {
  bucket = aws_s3_bucket.private_media.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.data.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "public_and_logs" {
  for_each = {
    public = aws_s3_bucket.public_assets.id
    logs   = aws_s3_bucket.logs.id
  }
  bucket = each.value
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_logging" "media" {
  for_each = {
    private = aws_s3_bucket.private_media.id
    public  = aws_s3_bucket.public_assets.id
  }
  bucket        = each.value
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "s3/${each.key}/"
}

resource "aws_s3_bucket_lifecycle_configuration" "private_media" {
  bucket = aws_s3_bucket.private_media.id
  rule {
    id     = "old-versions"
    status = "Enabled"
    filter {}
    # A deleted piece of evidence can be recovered for 30 days, then it is gone.
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 2
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "public_assets" {
  bucket = aws_s3_bucket.public_assets.id
  rule {
    id     = "old-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 2
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    id     = "expire"
    status = "Enabled"
    filter {}
    expiration {
      days = 365
    }
    noncurrent_version_expiration {
      noncurrent_days = 7
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 2
    }
  }
}
