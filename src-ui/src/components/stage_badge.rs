//! Where a listing stands, in a word, a colour and, while photos upload, a
//! progress bar: draft, queued, uploading n of m photos, publishing, sending
//! changes, live, needs attention (with the reason and a retry).

use crate::components::icon::Icon;
use crate::data::sync::SyncState;
use crate::{icons, labels};
use leptos::prelude::*;
use rehome_model::ListingId;
use rehome_model::draft::DraftStage;
use rehome_model::ipc::{ListingSync, ListingSyncStage};

/// What one badge shows.
struct Shown {
    /// A stable id for tests and styling (`data-stage`).
    key: &'static str,
    class: &'static str,
    text: String,
    hint: String,
    /// 0.0–1.0 while photos upload.
    progress: Option<f64>,
}

fn from_draft(stage: &DraftStage) -> Shown {
    let (key, class, text, hint) = match stage {
        DraftStage::Draft => ("draft", "stage stage-draft", labels::STAGE_DRAFT, ""),
        DraftStage::Queued => (
            "queued",
            "stage stage-queued",
            labels::STAGE_QUEUED,
            labels::STAGE_QUEUED_HINT,
        ),
        DraftStage::Live => ("live", "stage stage-live", labels::STAGE_LIVE, ""),
        DraftStage::Delisted => ("delisted", "stage", labels::STAGE_DELISTED, ""),
        DraftStage::Sold => ("sold", "stage stage-live", labels::STAGE_SOLD, ""),
        DraftStage::NeedsAttention { reason } => {
            return Shown {
                key: "needs_attention",
                class: "stage stage-attention",
                text: labels::STAGE_ATTENTION.to_owned(),
                hint: reason.clone(),
                progress: None,
            };
        }
    };
    Shown {
        key,
        class,
        text: text.to_owned(),
        hint: hint.to_owned(),
        progress: None,
    }
}

fn from_sync(l: &ListingSync) -> Shown {
    let shown = |key, class, text: &str, hint: &str| Shown {
        key,
        class,
        text: text.to_owned(),
        hint: hint.to_owned(),
        progress: None,
    };
    match &l.stage {
        ListingSyncStage::Draft => shown("draft", "stage stage-draft", labels::STAGE_DRAFT, ""),
        ListingSyncStage::Queued if l.on_market => shown(
            "queued",
            "stage stage-queued",
            labels::STAGE_CHANGES_QUEUED,
            labels::STAGE_CHANGES_QUEUED_HINT,
        ),
        ListingSyncStage::Queued => shown(
            "queued",
            "stage stage-queued",
            labels::STAGE_QUEUED,
            labels::STAGE_QUEUED_HINT,
        ),
        ListingSyncStage::Uploading => {
            let total = l.photos_total.max(1);
            let current = (l.photos_done + 1).min(total);
            let progress = if l.bytes_total > 0 {
                l.bytes_sent as f64 / l.bytes_total as f64
            } else {
                f64::from(l.photos_done) / f64::from(total)
            };
            Shown {
                key: "uploading",
                class: "stage stage-busy",
                text: labels::uploading_photos(current, total),
                hint: String::new(),
                progress: Some(progress.clamp(0.0, 1.0)),
            }
        }
        ListingSyncStage::Publishing => shown(
            "publishing",
            "stage stage-busy",
            labels::STAGE_PUBLISHING,
            "",
        ),
        ListingSyncStage::Updating => {
            shown("updating", "stage stage-busy", labels::STAGE_UPDATING, "")
        }
        ListingSyncStage::Live => shown("live", "stage stage-live", labels::STAGE_LIVE, ""),
        ListingSyncStage::Delisted => shown("delisted", "stage", labels::STAGE_DELISTED, ""),
        ListingSyncStage::Sold => shown("sold", "stage stage-live", labels::STAGE_SOLD, ""),
        ListingSyncStage::NeedsAttention { reason } => shown(
            "needs_attention",
            "stage stage-attention",
            labels::STAGE_ATTENTION,
            reason,
        ),
    }
}

fn badge(s: Shown) -> impl IntoView {
    let progress = s.progress.map(|p| {
        view! {
            <progress class="stage-progress" max="1" value=p.to_string()
                aria-label=labels::UPLOAD_PROGRESS></progress>
        }
    });
    view! {
        <span class="stage-box">
            <span class=s.class title=s.hint data-stage=s.key>{s.text}</span>
            {progress}
        </span>
    }
}

/// Listing `id`'s stage, live from the sync status (upload progress
/// included); `fallback` until the status knows it.
#[component]
pub fn ListingStage(id: ListingId, #[prop(into)] fallback: Signal<DraftStage>) -> impl IntoView {
    let sync = expect_context::<SyncState>();
    // Re-rendered only when this listing's state changes, not at every poll.
    let listing = Memo::new(move |_| sync.listing(id));
    move || match listing.get() {
        Some(l) => badge(from_sync(&l)),
        None => badge(from_draft(&fallback.get())),
    }
}

/// When listing `id` needs attention: the reason in plain words and a retry.
#[component]
pub fn StageAttention(id: ListingId) -> impl IntoView {
    let sync = expect_context::<SyncState>();
    // Re-rendered only when the reason changes (a poll must not replace the
    // button under the seller's finger).
    let reason = Memo::new(move |_| {
        sync.listing(id).and_then(|l| match l.stage {
            ListingSyncStage::NeedsAttention { reason } => Some(reason),
            _ => None,
        })
    });
    move || {
        reason.get().map(|reason| {
            view! {
                <div class="stage-attention-row" role="alert" data-attention=id.to_string()>
                    <Icon path=icons::WARNING />
                    <span class="stage-reason">{reason}</span>
                    <button class="button" data-action="retry-listing"
                        on:click=move |_| sync.retry(id)>
                        <Icon path=icons::RETRY />{labels::RETRY}
                    </button>
                </div>
            }
        })
    }
}
