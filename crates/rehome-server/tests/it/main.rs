//! Integration tests: the real server on 127.0.0.1 (in-process or the real
//! binary) with a temp data dir, driven over HTTP.

mod accounts;
mod blob_files;
mod buyers;
mod feed;
mod hostile;
mod listing_photos;
mod notifications;
mod offers;
mod openapi;
mod openapi_truth;
mod publish_rules;
mod pull_pages;
mod quotas;
mod reads;
mod reads_under_load;
mod served_safely;
mod sign_in_abuse;
mod sku;
mod support;
mod sync;
mod sync_wire;
mod timeouts;
mod tls;
mod upload_integrity;
mod upload_writers;
mod uploads;
