//! Where recordings' bytes live: a folder on this machine by default, or an
//! S3-compatible bucket that several instances share (`object_store`). Keys are
//! made here from parsed UUIDs only, so nothing a person typed reaches a path.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt;
use object_store::path::Path as ObjectPath;
use object_store::signer::{Method, Signer};
use object_store::{GetOptions, GetRange, ObjectStore, ObjectStoreExt, PutPayload, WriteMultipart};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::config::{Config, MediaStore};

mod mapped;

/// Recordings' bytes, wherever they are kept.
pub struct Media {
    store: Arc<dyn ObjectStore>,
    /// The folder, when the store is local (ranges are read from it directly).
    local_root: Option<PathBuf>,
    /// Its recordings' files, mapped while they are played.
    mapped: mapped::MappedFiles,
    signer: Option<Arc<object_store::aws::AmazonS3>>,
    /// Where signed addresses point (the pages' Content-Security-Policy allows it for media).
    signed_origin: Option<String>,
}

/// What assembling an upload produced.
pub struct Assembled {
    pub size: u64,
    /// A strong validator for the bytes (the start of their SHA-256).
    pub etag: String,
}

/// What serving a stored object's bytes needs to know of it, kept for a
/// moment per instance (`AppInner::media_facts`) so a player's many byte
/// ranges do not each read it from the database.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ObjectFacts {
    pub object_key: String,
    pub etag: String,
    pub size_bytes: i64,
    /// The media kind it was recognised as (`MediaKind`'s name).
    pub media_kind: String,
    /// From when members may read it (None: only staff, until published).
    pub published_at: Option<i64>,
}

/// The key of a finished recording's file.
pub fn recording_key(id: Uuid, extension: &str) -> String {
    format!("recordings/{id}.{extension}")
}

/// The key of one part of an upload in progress: its place, and a random
/// tail so that two requests writing the same place never share a key.
pub fn upload_part_key(upload: Uuid, part: i64) -> String {
    format!("uploads/{upload}/{part:08}-{}", Uuid::new_v4().simple())
}

/// `scheme://host[:port]` of an address.
fn origin_of(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("https", url));
    let host = rest.split('/').next().unwrap_or(rest);
    format!("{scheme}://{host}")
}

impl Media {
    pub fn new(config: &Config) -> anyhow::Result<Media> {
        let library = &config.library;
        match library.media_store {
            MediaStore::Local => {
                let root = library.media_dir.clone().unwrap_or_else(|| config.data_dir.join("media"));
                std::fs::create_dir_all(&root)?;
                let root = root.canonicalize()?;
                let store = object_store::local::LocalFileSystem::new_with_prefix(&root)?
                    .with_automatic_cleanup(true);
                Ok(Media {
                    store: Arc::new(store),
                    local_root: Some(root),
                    mapped: mapped::MappedFiles::default(),
                    signer: None,
                    signed_origin: None,
                })
            }
            MediaStore::S3 => {
                // The bucket is reached over TLS with ring, as mail is (one
                // crypto library in the binary); installed once per process.
                #[allow(
                    deprecated,
                    reason = "ring lacks post-quantum key exchange; mail uses it already, and aws-lc would add a second crypto library to build"
                )]
                let _ = rustls::crypto::ring::default_provider().install_default();
                let mut builder = object_store::aws::AmazonS3Builder::new()
                    .with_bucket_name(library.s3_bucket.clone().unwrap_or_default())
                    .with_region(library.s3_region.clone());
                if let Some(endpoint) = &library.s3_endpoint {
                    builder =
                        builder.with_endpoint(endpoint).with_allow_http(endpoint.starts_with("http://"));
                }
                if let Some(key) = &library.s3_access_key_id {
                    builder = builder.with_access_key_id(key);
                }
                if let Some(secret) = &library.s3_secret_access_key {
                    builder = builder.with_secret_access_key(secret.expose());
                }
                let s3 = Arc::new(builder.build()?);
                let signer = library.s3_presign.then(|| s3.clone());
                let origin = match &library.s3_endpoint {
                    Some(endpoint) => origin_of(endpoint),
                    None => format!("https://s3.{}.amazonaws.com", library.s3_region),
                };
                let signed_origin = library.s3_presign.then_some(origin);
                Ok(Media {
                    store: s3,
                    local_root: None,
                    mapped: mapped::MappedFiles::default(),
                    signer,
                    signed_origin,
                })
            }
        }
    }

    /// The origin signed addresses point to, when media is handed out that way.
    pub fn signed_origin(&self) -> Option<&str> {
        self.signed_origin.as_deref()
    }

    /// The file of a key, when the store is a local folder.
    pub fn local_path(&self, key: &str) -> Option<PathBuf> {
        self.local_root.as_ref().map(|root| root.join(key))
    }

    /// As `local_range`, without blocking, when those bytes were brought in
    /// before (see `mapped`); `None` otherwise.
    pub fn local_range_if_ready(&self, key: &str, start: u64, len: u64) -> Option<Bytes> {
        self.local_root.as_ref()?;
        self.mapped.range_if_ready(key, start, len)
    }

    /// Whether the bytes are in a folder on this machine.
    pub fn is_local(&self) -> bool {
        self.local_root.is_some()
    }

    /// `len` bytes of a finished recording's file from `start`, straight from
    /// the page cache (see `mapped`); only for a local store. Blocking: call
    /// it on the blocking pool.
    pub fn local_range(&self, key: &str, start: u64, len: u64) -> std::io::Result<Bytes> {
        let path = self.local_path(key).ok_or_else(|| std::io::Error::other("not a local store"))?;
        self.mapped.range(key, &path, start, len)
    }

    /// A signed address the browser may fetch the bytes from for a short while (S3).
    pub async fn presigned(&self, key: &str, valid_for: Duration) -> anyhow::Result<Option<String>> {
        let Some(signer) = &self.signer else { return Ok(None) };
        let url = signer.signed_url(Method::GET, &ObjectPath::from(key), valid_for).await?;
        Ok(Some(url.to_string()))
    }

    pub async fn put(&self, key: &str, bytes: Bytes) -> object_store::Result<()> {
        self.store.put(&ObjectPath::from(key), PutPayload::from_bytes(bytes)).await.map(|_| ())
    }

    pub async fn get(&self, key: &str) -> object_store::Result<Bytes> {
        self.store.get(&ObjectPath::from(key)).await?.bytes().await
    }

    /// The bytes `start..end` (end exclusive).
    pub async fn get_range(&self, key: &str, start: u64, end: u64) -> object_store::Result<Bytes> {
        self.store.get_range(&ObjectPath::from(key), start..end).await
    }

    /// The bytes from `start` on, as a stream.
    pub async fn stream_from(
        &self,
        key: &str,
        start: u64,
        end: u64,
    ) -> object_store::Result<impl futures_util::Stream<Item = object_store::Result<Bytes>> + use<>> {
        let options = GetOptions { range: Some(GetRange::Bounded(start..end)), ..GetOptions::default() };
        Ok(self.store.get_opts(&ObjectPath::from(key), options).await?.into_stream())
    }

    /// Removes a key; one already gone is not an error.
    pub async fn delete(&self, key: &str) -> object_store::Result<()> {
        self.mapped.forget(key);
        match self.store.delete(&ObjectPath::from(key)).await {
            Err(object_store::Error::NotFound { .. }) => Ok(()),
            other => other,
        }
    }

    /// Removes every key under a prefix (an upload's parts).
    pub async fn delete_prefix(&self, prefix: &str) -> object_store::Result<()> {
        let keys: Vec<ObjectPath> = self
            .store
            .list(Some(&ObjectPath::from(prefix)))
            .filter_map(|meta| async move { meta.ok().map(|m| m.location) })
            .collect()
            .await;
        for key in keys {
            self.delete(key.as_ref()).await?;
        }
        Ok(())
    }

    /// Joins an upload's parts, in order, into one object, streaming: no more
    /// than one part is held in memory at a time.
    pub async fn assemble(&self, parts: &[String], into: &str) -> anyhow::Result<Assembled> {
        let upload = self.store.put_multipart(&ObjectPath::from(into)).await?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, 8 * 1024 * 1024);
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        for part in parts {
            let bytes = match self.get(part).await {
                Ok(bytes) => bytes,
                Err(e) => {
                    writer.abort().await.ok();
                    return Err(e.into());
                }
            };
            hasher.update(&bytes);
            size += bytes.len() as u64;
            writer.wait_for_capacity(2).await?;
            writer.put(bytes);
        }
        writer.finish().await?;
        let digest = hasher.finalize();
        Ok(Assembled { size, etag: format!("\"{}\"", hex::encode(&digest[..12])) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_https_bucket_can_be_set_up_with_the_bundled_tls() {
        let mut config = Config::default();
        config.library.media_store = MediaStore::S3;
        config.library.s3_bucket = Some("recordings".into());
        config.library.s3_endpoint = Some("https://s3.example.org".into());
        let media = Media::new(&config).expect("an https S3 client builds");
        assert_eq!(media.signed_origin(), Some("https://s3.example.org"));
        assert!(media.local_path("recordings/x.mp4").is_none());
        assert_eq!(origin_of("http://127.0.0.1:9000/bucket/key"), "http://127.0.0.1:9000");
    }
}
