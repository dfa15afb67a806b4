//! Background sync as the seller sees it: the indicator, each listing's stage
//! and its photos' upload progress (issue 6, "What the seller sees").

/// The global indicator: one of these at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncIndicator {
    /// No account on this device: nothing can sync until the seller signs in.
    SignedOut,
    /// The server refused the saved session (401): sign in again.
    SessionExpired,
    /// The last try could not reach the server; it retries with backoff.
    Offline,
    /// A sync is running or edits are waiting to be sent.
    Syncing,
    /// Nothing waiting.
    UpToDate,
}

/// The device's sync state, as the indicator and the draft cards show it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    pub indicator: SyncIndicator,
    /// Edits waiting to reach the server (parked ones not counted).
    pub pending: u32,
    /// What waits for the seller and cannot go out as it is: listings with an
    /// edit the server refused (or this device cannot read back), plus each
    /// such change of no listing (`parked_changes`).
    pub needs_attention: u32,
    /// Open conflicts waiting for the seller's choice.
    pub conflicts: u32,
    /// When the last sync finished without error (unix ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_synced_at: Option<u64>,
    /// When the next automatic try is due after a failure (unix ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_at: Option<u64>,
    /// The reason of the last failure, for a tooltip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// Every listing on the device that is not a plain draft at rest: the
    /// ones with a stage worth showing (drafts only appear while uploading).
    pub listings: Vec<ListingSync>,
    /// Changes of no listing (a like, a follow, an offer) that are parked:
    /// refused by the server, or unreadable on this device. Each with why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parked_changes: Vec<ParkedChange>,
}

/// A parked change of no listing, as the sync status lists it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParkedChange {
    /// Its mutation id on this device.
    pub seq: u64,
    /// The mutation's wire name (`like`, `follow`, …, or what a damaged row says).
    pub name: String,
    pub reason: String,
}

impl SyncStatus {
    /// The state of listing `id`, if it has one.
    pub fn listing(&self, id: crate::ListingId) -> Option<&ListingSync> {
        self.listings.iter().find(|l| l.id == id)
    }
}

/// One listing's sync state with its photo upload progress.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListingSync {
    pub id: crate::ListingId,
    pub stage: ListingSyncStage,
    /// The server lists it (live, delisted or sold), whatever is still queued.
    pub on_market: bool,
    /// Edits of this listing waiting to be sent.
    pub pending: u32,
    pub photos_done: u32,
    pub photos_total: u32,
    /// Bytes of this listing's photos sent in the current sync, of
    /// `bytes_total` (the photos that started uploading).
    pub bytes_sent: u64,
    pub bytes_total: u64,
}

/// Where one listing stands, in the seller's words.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "stage")]
pub enum ListingSyncStage {
    /// Only on this device, not published.
    Draft,
    /// Waiting to be sent (offline, signed out, or between syncs).
    Queued,
    /// A sync is sending its photos (`photos_done` of `photos_total`).
    Uploading,
    /// A sync is sending the publish (every photo is up).
    Publishing,
    /// A sync is sending edits of a listing already on the market.
    Updating,
    Live,
    Delisted,
    Sold,
    /// The server refused an edit; `reason` says why, in plain words.
    NeedsAttention {
        reason: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `sync_status` puts on the IPC wire (the UI's contract).
    #[test]
    fn a_sync_status_on_the_wire() {
        let id: crate::ListingId = "019b76da-a800-7e00-8000-000000000000".parse().unwrap();
        let status = SyncStatus {
            indicator: SyncIndicator::Syncing,
            pending: 3,
            needs_attention: 1,
            conflicts: 0,
            last_synced_at: Some(1_800_000_000_000),
            retry_at: None,
            last_error: None,
            parked_changes: vec![ParkedChange {
                seq: 9,
                name: "follow".into(),
                reason: "This change cannot be read back from this device's database".into(),
            }],
            listings: vec![
                ListingSync {
                    id,
                    stage: ListingSyncStage::Uploading,
                    on_market: false,
                    pending: 3,
                    photos_done: 1,
                    photos_total: 3,
                    bytes_sent: 700_000,
                    bytes_total: 1_500_000,
                },
                ListingSync {
                    id,
                    stage: ListingSyncStage::NeedsAttention {
                        reason: "A listing needs a size".into(),
                    },
                    on_market: true,
                    pending: 0,
                    photos_done: 0,
                    photos_total: 0,
                    bytes_sent: 0,
                    bytes_total: 0,
                },
            ],
        };
        let json = serde_json::to_string_pretty(&status).unwrap();
        expect_test::expect![[r#"
            {
              "indicator": "syncing",
              "pending": 3,
              "needsAttention": 1,
              "conflicts": 0,
              "lastSyncedAt": 1800000000000,
              "listings": [
                {
                  "id": "019b76da-a800-7e00-8000-000000000000",
                  "stage": {
                    "stage": "uploading"
                  },
                  "onMarket": false,
                  "pending": 3,
                  "photosDone": 1,
                  "photosTotal": 3,
                  "bytesSent": 700000,
                  "bytesTotal": 1500000
                },
                {
                  "id": "019b76da-a800-7e00-8000-000000000000",
                  "stage": {
                    "stage": "needs_attention",
                    "reason": "A listing needs a size"
                  },
                  "onMarket": true,
                  "pending": 0,
                  "photosDone": 0,
                  "photosTotal": 0,
                  "bytesSent": 0,
                  "bytesTotal": 0
                }
              ],
              "parkedChanges": [
                {
                  "seq": 9,
                  "name": "follow",
                  "reason": "This change cannot be read back from this device's database"
                }
              ]
            }"#]]
        .assert_eq(&json);
        let back: SyncStatus = serde_json::from_str(&json).unwrap();
        assert_eq!(back, status);
    }
}
