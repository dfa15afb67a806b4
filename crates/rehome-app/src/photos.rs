//! The seller's photos: compressed on the device, then attached to a draft.

use crate::{App, AppError};
use rehome_model::PhotoId;
use rehome_model::draft::{Draft, PHOTOS_MAX};
use rehome_model::ipc::{AddDraftPhotoRequest, PhotoRequest};
use rehome_store::{Edit, NewPhoto};
use sha2::{Digest, Sha256};

impl App {
    /// Compresses `original` (any supported camera or gallery image) with the
    /// product settings and attaches the result to draft `id`. The original is
    /// kept only when the seller asked ([`DeviceSettings::keep_originals`]):
    /// then it is written, as given, to the originals folder before the photo
    /// is attached, and a failure to keep it refuses the whole photo (the
    /// seller asked for it). Errors name what is wrong with the file; a draft
    /// that already holds [`PHOTOS_MAX`] photos refuses with `too_many_photos`.
    ///
    /// [`DeviceSettings::keep_originals`]: rehome_model::ipc::DeviceSettings
    #[tracing::instrument(skip(self, req, original), fields(id = %req.id, bytes = original.len()))]
    pub fn add_draft_photo(
        &self,
        req: AddDraftPhotoRequest,
        original: &[u8],
    ) -> Result<Draft, AppError> {
        let AddDraftPhotoRequest { id } = req;
        // A full draft refuses before any decoding (the store checks again).
        if self.draft_after(id)?.photos.len() >= PHOTOS_MAX {
            return Err(AppError::Store(rehome_store::StoreError::TooManyPhotos {
                limit: PHOTOS_MAX,
            }));
        }
        let compressed = rehome_photo::compress(
            original,
            &rehome_photo::Settings::default(),
            &rehome_photo::Limits::default(),
        )?;
        if self.device_settings()?.keep_originals {
            self.keep_original(original)?;
        }
        self.drafts.apply(Edit::AttachPhoto {
            id,
            photo: from_pipeline(compressed.photo)?,
        })?;
        self.draft_after(id)
    }

    /// Writes `original` to the originals folder as `<sha256>.<format>`
    /// (content-addressed: the same file twice is kept once). Only called
    /// after the pipeline accepted it, so the format is known.
    fn keep_original(&self, original: &[u8]) -> Result<(), AppError> {
        let extension = match rehome_photo::sniff(original)? {
            rehome_photo::Format::Jpeg => "jpg",
            rehome_photo::Format::Png => "png",
            rehome_photo::Format::Webp => "webp",
            rehome_photo::Format::Heif => "heic",
        };
        let name = format!("{:x}.{extension}", Sha256::digest(original));
        let dir = &self.config().originals_dir;
        if dir.join(&name).exists() {
            return Ok(());
        }
        crate::atomic_file::write(dir, &name, original)
    }

    /// Turns a draft's photo 90° clockwise. The stored (already compressed)
    /// JPEG is decoded, turned and encoded again with the product quality: one
    /// more JPEG generation, no resize. The result is a new content-addressed
    /// photo in the same place (see `Edit::ReplacePhoto`), written in one
    /// transaction with its outbox rows. The pixel work runs before the
    /// transaction, so the store is not held while encoding.
    #[tracing::instrument(skip(self, req), fields(id = %req.id, photo = %req.photo_id))]
    pub fn rotate_draft_photo(&self, req: PhotoRequest) -> Result<Draft, AppError> {
        let store = self.store()?;
        let Some(current) = store.photo_bytes(req.photo_id)? else {
            return Err(AppError::Store(rehome_store::StoreError::NotFound {
                what: format!("photo {}", req.photo_id),
            }));
        };
        let replaced_sha256 = format!("{:x}", Sha256::digest(&current));
        let settings = rehome_photo::Settings::default();
        let turned = rehome_photo::rotate(
            &current,
            1,
            settings.quality,
            &rehome_photo::Limits::default(),
        )?;
        drop(current);
        self.drafts.apply(Edit::ReplacePhoto {
            id: req.id,
            photo: req.photo_id,
            replaced_sha256,
            with: from_pipeline(turned)?,
        })?;
        self.draft_after(req.id)
    }

    /// One of this device's own photos (a draft's), if it is one.
    pub(crate) fn own_photo(&self, id: PhotoId) -> Result<Option<Vec<u8>>, AppError> {
        match self.store() {
            Ok(store) => Ok(store.photo_bytes(id)?),
            // No store (a damaged or unwritable folder): the feed still works.
            Err(_) => Ok(None),
        }
    }
}

/// The pipeline's output as the store takes it: the pipeline checked the JPEG
/// it wrote and hashed it, so its facts go along and the bytes are not read
/// again (bytes from anywhere else go through `attach_draft_photo`'s check).
fn from_pipeline(photo: rehome_photo::Encoded) -> Result<NewPhoto, AppError> {
    Ok(NewPhoto::from_pipeline(
        photo.jpeg,
        photo.width,
        photo.height,
        photo.sha256,
    )?)
}

#[cfg(test)]
mod tests {
    use crate::{App, AppConfig};
    use rehome_model::ipc::{
        AddDraftPhotoRequest, CreateDraftRequest, DeviceSettings, DraftIdRequest, PhotoRequest,
    };
    use sha2::{Digest, Sha256};

    impl App {
        fn draft_photo_count(&self, id: rehome_model::ListingId) -> usize {
            self.get_draft(DraftIdRequest { id }).unwrap().photos.len()
        }
    }

    /// A 400×300 JPEG: red with a 40×40 white block in the top-left corner.
    fn marked_photo() -> Vec<u8> {
        let (w, h) = (400u16, 300u16);
        let mut px = Vec::with_capacity(usize::from(w) * usize::from(h) * 3);
        for y in 0..h {
            for x in 0..w {
                px.extend_from_slice(if x < 40 && y < 40 {
                    &[255, 255, 255]
                } else {
                    &[200, 30, 30]
                });
            }
        }
        let mut out = Vec::new();
        jpeg_encoder::Encoder::new(&mut out, 90)
            .encode(&px, w, h, jpeg_encoder::ColorType::Rgb)
            .unwrap();
        out
    }

    fn pixel(jpeg: &[u8], x: usize, y: usize) -> [u8; 3] {
        let mut d = jpeg_decoder::Decoder::new(jpeg);
        let px = d.decode().unwrap();
        let w = usize::from(d.info().unwrap().width);
        let i = (y * w + x) * 3;
        [px[i], px[i + 1], px[i + 2]]
    }

    /// What the originals folder holds: (file name, bytes), sorted.
    fn originals(app: &App) -> Vec<(String, Vec<u8>)> {
        let Ok(entries) = std::fs::read_dir(&app.config().originals_dir) else {
            return Vec::new();
        };
        let mut files: Vec<(String, Vec<u8>)> = entries
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    }

    #[test]
    fn originals_are_kept_only_when_the_seller_asks_and_the_choice_lasts() {
        let dir = tempfile::tempdir().unwrap();
        let config = AppConfig::offline_in(dir.path());
        let app = App::open(config.clone()).unwrap();
        let id = app.create_draft(CreateDraftRequest::default()).unwrap().id;
        let photo = marked_photo();

        // Off by default: only the compressed copy.
        assert!(!app.device_settings().unwrap().keep_originals);
        app.add_draft_photo(AddDraftPhotoRequest { id }, &photo)
            .unwrap();
        assert_eq!(originals(&app), Vec::new());

        // Asked: the original, byte for byte, named by its hash; once only.
        let on = DeviceSettings {
            keep_originals: true,
            ..DeviceSettings::default()
        };
        assert_eq!(app.set_device_settings(on.clone()).unwrap(), on);
        app.add_draft_photo(AddDraftPhotoRequest { id }, &photo)
            .unwrap();
        app.add_draft_photo(AddDraftPhotoRequest { id }, &photo)
            .unwrap();
        let name = format!("{:x}.jpg", Sha256::digest(&photo));
        assert_eq!(originals(&app), vec![(name.clone(), photo.clone())]);

        // A file the pipeline refuses is not kept either.
        let err = app
            .add_draft_photo(AddDraftPhotoRequest { id }, b"GIF89a not a photo")
            .unwrap_err();
        assert_eq!(err.code(), rehome_model::ErrorCode::BadPhoto);
        assert_eq!(originals(&app).len(), 1);

        // The choice survives a restart; a damaged settings file is named,
        // not read as "off".
        drop(app);
        let app = App::open(config).unwrap();
        assert!(app.device_settings().unwrap().keep_originals);
        std::fs::write(dir.path().join("settings.json"), b"{\"keepOriginals\": tru").unwrap();
        let err = app.device_settings().unwrap_err();
        assert!(err.to_string().contains("settings.json"), "{err}");
        assert_eq!(app.draft_photo_count(id), 3);
    }

    #[test]
    fn rotating_a_photo_swaps_its_sides_and_moves_the_marked_corner_clockwise() {
        let dir = tempfile::tempdir().unwrap();
        let app = App::open(AppConfig::offline_in(dir.path())).unwrap();
        let id = app.create_draft(CreateDraftRequest::default()).unwrap().id;
        let draft = app
            .add_draft_photo(AddDraftPhotoRequest { id }, &marked_photo())
            .unwrap();
        let before = draft.photos[0].clone();
        assert_eq!((before.width, before.height), (400, 300));

        let draft = app
            .rotate_draft_photo(PhotoRequest {
                id,
                photo_id: before.id,
            })
            .unwrap();
        assert_eq!(draft.photos.len(), 1);
        let after = &draft.photos[0];
        assert_ne!(after.id, before.id, "a new photo in the old one's place");
        assert_ne!(after.sha256, before.sha256);
        assert_eq!((after.width, after.height), (300, 400), "sides swapped");
        let jpeg = app.own_photo(after.id).unwrap().expect("the turned file");
        assert_eq!(format!("{:x}", Sha256::digest(&jpeg)), after.sha256);
        // The white corner went from top-left to top-right.
        let white = |p: [u8; 3]| p.iter().all(|c| *c > 220);
        assert!(white(pixel(&jpeg, 300 - 15, 15)), "top-right is white");
        assert!(!white(pixel(&jpeg, 15, 15)), "top-left is no longer white");
        assert!(
            app.own_photo(before.id).unwrap().is_none(),
            "old photo gone"
        );

        // Four turns: upright again, same size, corner back at the top-left.
        let mut photo = after.id;
        for _ in 0..3 {
            let d = app
                .rotate_draft_photo(PhotoRequest {
                    id,
                    photo_id: photo,
                })
                .unwrap();
            photo = d.photos[0].id;
        }
        let d = app.get_draft(DraftIdRequest { id }).unwrap();
        assert_eq!((d.photos[0].width, d.photos[0].height), (400, 300));
        let jpeg = app.own_photo(photo).unwrap().unwrap();
        assert!(white(pixel(&jpeg, 15, 15)));

        // A photo of another draft, or none at all: not found, nothing changed.
        let err = app
            .rotate_draft_photo(PhotoRequest {
                id,
                photo_id: before.id,
            })
            .unwrap_err();
        assert_eq!(err.code(), rehome_model::ErrorCode::NotFound);
    }
}
