use crate::labels;
use leptos::prelude::*;
use rehome_model::draft::DraftStage;

/// Where a draft stands: draft, queued, live… in a word and a colour.
#[component]
pub fn StageBadge(stage: DraftStage) -> impl IntoView {
    let (class, text, title) = match &stage {
        DraftStage::Draft => ("stage stage-draft", labels::STAGE_DRAFT, String::new()),
        DraftStage::Queued => (
            "stage stage-queued",
            labels::STAGE_QUEUED,
            labels::STAGE_QUEUED_HINT.to_owned(),
        ),
        DraftStage::Live => ("stage stage-live", labels::STAGE_LIVE, String::new()),
        DraftStage::Delisted => ("stage", labels::STAGE_DELISTED, String::new()),
        DraftStage::Sold => ("stage stage-live", labels::STAGE_SOLD, String::new()),
        DraftStage::NeedsAttention { reason } => (
            "stage stage-attention",
            labels::STAGE_ATTENTION,
            reason.clone(),
        ),
    };
    view! { <span class=class title=title data-stage=text.to_lowercase()>{text}</span> }
}
