"""Files in an S3-compatible object store (S3_ENDPOINT_URL, S3_BUCKET, credentials), the sha256
kept as object metadata. A rolled-back transaction deletes the objects it wrote."""

from app.core.storage.base import CHUNK, StorageError
from app.core.storage.filesystem import on_commit, on_rollback


class Backend:
    name = "s3"

    def __init__(self, app):
        clients = app.extensions.setdefault("vidhuk_s3", {})
        config = app.config
        key = (config["S3_ENDPOINT_URL"], config["S3_BUCKET"], config["S3_ACCESS_KEY_ID"])
        if key not in clients:
            import boto3
            from botocore.config import Config

            clients[key] = boto3.client(
                "s3",
                endpoint_url=config["S3_ENDPOINT_URL"] or None,
                aws_access_key_id=config["S3_ACCESS_KEY_ID"] or None,
                aws_secret_access_key=config["S3_SECRET_ACCESS_KEY"] or None,
                region_name=config["S3_REGION"] or "us-east-1",
                config=Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3}),
            )
        self.client = clients[key]
        self.bucket = config["S3_BUCKET"]
        if not self.bucket:
            raise StorageError("", "unavailable")

    def write(self, relative, data, sha256, session=None):
        self.client.put_object(
            Bucket=self.bucket, Key=relative, Body=data, Metadata={"sha256": sha256}
        )
        if session is not None:
            on_rollback(session, lambda: self.delete(relative))

    def chunks(self, relative):
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            obj = self.client.get_object(Bucket=self.bucket, Key=relative)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            reason = "missing" if code in ("NoSuchKey", "404", "NotFound") else "unavailable"
            raise StorageError(relative, reason) from exc
        except BotoCoreError as exc:
            raise StorageError(relative, "unavailable") from exc
        recorded = obj.get("Metadata", {}).get("sha256")
        body = obj["Body"]
        try:
            while chunk := body.read(CHUNK):
                yield chunk, recorded
        finally:
            body.close()

    def exists(self, relative):
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=relative)
        except ClientError:
            return False
        return True

    def delete(self, relative):
        self.client.delete_object(Bucket=self.bucket, Key=relative)

    def delete_after_commit(self, relative, session):
        on_commit(session, lambda: self.delete(relative))

    def list(self):
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket):
            for item in page.get("Contents", []):
                head = self.client.head_object(Bucket=self.bucket, Key=item["Key"])
                yield item["Key"], head.get("Metadata", {}).get("sha256")
