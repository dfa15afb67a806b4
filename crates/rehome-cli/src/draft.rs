//! `rehome draft …`: create, list, show, edit, publish and delete drafts.
//! Everything prints JSON; errors print `{"code","message","field"}` on stderr
//! and exit non-zero, with the codes the UI gets.

use crate::Cli;
use crate::output::print_json;
use rehome_app::App;
use rehome_model::draft::{DraftField, DraftValues};
use rehome_model::ipc::{
    AddDraftPhotoRequest, CreateDraftRequest, DraftIdRequest, ListDraftsRequest, PhotoRequest,
    SetFieldRequest,
};
use rehome_model::{ApiError, ErrorCode, ListingId};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct DraftArgs {
    #[command(subcommand)]
    command: DraftCommand,
}

#[derive(clap::Subcommand)]
enum DraftCommand {
    /// Create a draft; prints it, its `id` included.
    New(Box<NewArgs>),
    /// Every draft (not deleted), most recently edited first.
    List {
        /// JSON output (the only format; accepted for scripts).
        #[arg(long)]
        json: bool,
    },
    /// One draft, with its problems and readiness checklist.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Set one field to a value as typed (saved even when it does not validate).
    Set {
        id: String,
        /// title, description, category, brand, size, condition, colour,
        /// price, original-price or parcel.
        field: String,
        value: String,
    },
    /// Queue the draft for publishing (sync takes it from there).
    Publish { id: String },
    /// Delete the draft (it can be brought back with `undo-delete` for a while).
    Delete { id: String },
    /// Bring back a draft deleted a moment ago.
    UndoDelete { id: String },
    /// Copy a draft (fields and photos) into a new one.
    Duplicate { id: String },
    /// Add a photo (JPEG, PNG, WebP or HEIC) to a draft, compressed as the app
    /// does. Its original is kept only with `rehome settings --keep-originals on`.
    AddPhoto { id: String, file: PathBuf },
    /// Turn one of a draft's photos 90° clockwise (it gets a new photo id).
    RotatePhoto { id: String, photo: String },
}

#[derive(clap::Args)]
struct NewArgs {
    #[arg(long)]
    title: String,
    #[arg(long)]
    price: String,
    #[arg(long, default_value = "")]
    description: String,
    #[arg(long, default_value = "")]
    category: String,
    #[arg(long, default_value = "")]
    brand: String,
    #[arg(long, default_value = "")]
    size: String,
    #[arg(long, default_value = "")]
    condition: String,
    #[arg(long, alias = "color", default_value = "")]
    colour: String,
    #[arg(long, default_value = "")]
    original_price: String,
    /// small, medium, large or a weight such as 500g.
    #[arg(long, default_value = "")]
    parcel: String,
    /// Your own stock code, kept exactly as given (leading zeros and spaces too).
    #[arg(long, default_value = "")]
    sku: String,
    /// A photo (JPEG, PNG, WebP or HEIC; repeat for more), compressed as the
    /// app does. Its original is kept only with `rehome settings --keep-originals on`.
    #[arg(long = "photo", value_name = "FILE")]
    photos: Vec<PathBuf>,
}

fn parse_id(s: &str) -> Result<ListingId, ApiError> {
    s.parse().map_err(|_| {
        ApiError::new(ErrorCode::Invalid, format!("{s:?} is not a draft id")).with_field("id")
    })
}

/// A command's `ID` argument as the request of the draft commands.
fn draft_id(s: &str) -> Result<DraftIdRequest, ApiError> {
    Ok(DraftIdRequest { id: parse_id(s)? })
}

fn read_photo(path: &PathBuf) -> Result<Vec<u8>, ApiError> {
    std::fs::read(path).map_err(|e| {
        ApiError::new(ErrorCode::BadPhoto, format!("{}: {e}", path.display())).with_field("photo")
    })
}

pub fn run(cli: &Cli, args: &DraftArgs) -> Result<(), ApiError> {
    let app = App::open(cli.config(None)).map_err(ApiError::from)?;
    match &args.command {
        DraftCommand::New(n) => {
            // Read every photo first: a bad file fails before anything is created.
            let photos = n
                .photos
                .iter()
                .map(read_photo)
                .collect::<Result<Vec<_>, _>>()?;
            let values = DraftValues {
                title: n.title.clone(),
                description: n.description.clone(),
                category: n.category.clone(),
                brand: n.brand.clone(),
                size: n.size.clone(),
                condition: n.condition.clone(),
                colour: n.colour.clone(),
                price: n.price.clone(),
                original_price: n.original_price.clone(),
                parcel: n.parcel.clone(),
                sku: n.sku.clone(),
            };
            let mut draft = app.create_draft(CreateDraftRequest { values })?;
            for bytes in photos {
                draft = app.add_draft_photo(AddDraftPhotoRequest { id: draft.id }, &bytes)?;
            }
            print_json(&draft)
        }
        DraftCommand::List { json: _ } => {
            print_json(&app.list_drafts(ListDraftsRequest::default())?)
        }
        DraftCommand::Show { id, json: _ } => print_json(&app.get_draft(draft_id(id)?)?),
        DraftCommand::Set { id, field, value } => {
            let Some(field) = DraftField::parse(field) else {
                return Err(ApiError::new(
                    ErrorCode::Invalid,
                    format!(
                        "unknown field {field:?}; one of: {}",
                        DraftField::ALL
                            .iter()
                            .map(|f| f.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
                .with_field("field"));
            };
            print_json(&app.set_draft_field(SetFieldRequest {
                id: parse_id(id)?,
                field,
                value: value.clone(),
                seq: 0,
            })?)
        }
        DraftCommand::Publish { id } => print_json(&app.publish_draft(draft_id(id)?)?),
        DraftCommand::Delete { id } => print_json(&app.delete_draft(draft_id(id)?)?),
        DraftCommand::UndoDelete { id } => print_json(&app.undo_delete_draft(draft_id(id)?)?),
        DraftCommand::Duplicate { id } => print_json(&app.duplicate_draft(draft_id(id)?)?),
        DraftCommand::RotatePhoto { id, photo } => {
            print_json(&app.rotate_draft_photo(PhotoRequest {
                id: parse_id(id)?,
                photo_id: rehome_app::App::parse_photo_id(photo)?,
            })?)
        }
        DraftCommand::AddPhoto { id, file } => {
            let bytes = read_photo(file)?;
            let req = AddDraftPhotoRequest { id: parse_id(id)? };
            print_json(&app.add_draft_photo(req, &bytes)?)
        }
    }
}
