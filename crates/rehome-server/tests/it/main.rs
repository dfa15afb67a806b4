//! Integration tests: the real server on 127.0.0.1 (in-process or the real
//! binary) with a temp data dir, driven over HTTP.

mod accounts;
mod buyers;
mod feed;
mod hostile;
mod listing_photos;
mod notifications;
mod openapi;
mod publish_rules;
mod reads;
mod sku;
mod support;
mod sync;
mod sync_wire;
mod tls;
mod upload_integrity;
mod upload_writers;
mod uploads;
