/**
 * Packed stores in S3 and S3-compatible object stores, on the AWS SDK for Java v2: {@link
 * io.regionstore.s3.S3RangeSource} reads an object with ranged {@code GetObject}s bound to its
 * ETag, {@link io.regionstore.s3.S3Publisher} uploads a pack so readers see the old object or the
 * new one whole, and {@link io.regionstore.s3.S3RangeSourceProvider} makes {@code s3://bucket/key}
 * URIs work wherever the other modules take a URI. Options in {@link io.regionstore.s3.S3Options};
 * user documentation in {@code docs/s3.md}.
 */
package io.regionstore.s3;
