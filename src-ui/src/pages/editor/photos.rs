//! The draft's photos: add from the camera or the gallery (many at once),
//! reorder, choose the cover, remove. The core compresses every photo.

use super::camera::CameraPanel;
use crate::components::icon::Icon;
use crate::data::editor::{Editor, PhotoStage};
use crate::ipc::{PhotoSize, photo_src};
use crate::{icons, labels};
use leptos::prelude::*;
use rehome_model::draft::PHOTOS_MAX;
use wasm_bindgen::JsCast;

#[component]
pub fn PhotoStrip() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let picked = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let files: Vec<web_sys::File> = input
            .files()
            .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
            .unwrap_or_default();
        input.set_value("");
        editor.add_files(files);
    };
    let camera_open = RwSignal::new(false);
    let system_camera = NodeRef::<leptos::html::Input>::new();
    let open_system_camera = move || {
        if let Some(input) = system_camera.get_untracked() {
            input.click();
        }
    };
    // The live view where the webview has a camera API; else the phone's camera app.
    let open_camera = move |_| {
        let has_api = web_sys::window()
            .map(|w| js_sys::Reflect::has(&w.navigator(), &"mediaDevices".into()).unwrap_or(false))
            .unwrap_or(false);
        if has_api {
            camera_open.set(true)
        } else {
            open_system_camera()
        }
    };
    // Adding is off once the draft holds the most photos it can.
    let full = move || editor.room() == 0;
    let dragging = RwSignal::new(false);
    let dropped = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        let files: Vec<web_sys::File> = ev
            .data_transfer()
            .and_then(|dt| dt.files())
            .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
            .unwrap_or_default();
        editor.add_files(files);
    };
    view! {
        <section class="photos" class:dragging=move || dragging.get() aria-label=labels::PHOTOS
            on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true) }
            on:dragleave=move |_| dragging.set(false)
            on:drop=dropped>
            {move || camera_open.get().then(|| view! {
                <CameraPanel on_close=move |_| camera_open.set(false)
                    fallback=move |_| { camera_open.set(false); open_system_camera() } />
            })}
            <ol class="photo-grid">
                {move || editor.draft.get().map(|d| {
                    let count = d.photos.len();
                    d.photos.into_iter().enumerate().map(|(i, p)| {
                        let id = p.id;
                        view! {
                            <li class="photo" data-photo=id.to_string() data-sha256=p.sha256.clone()>
                                {if p.missing {
                                    view! { <span class="photo-missing">{labels::PHOTO_MISSING}</span> }.into_any()
                                } else {
                                    view! { <img src=photo_src(id, PhotoSize::Thumb) alt="" /> }.into_any()
                                }}
                                {(i == 0).then(|| view! { <span class="photo-cover">{labels::COVER}</span> })}
                                <div class="photo-tools">
                                    <button class="icon-button" aria-label=labels::MOVE_EARLIER disabled=i == 0
                                        on:click=move |_| editor.move_photo(id, -1)><Icon path=icons::LEFT /></button>
                                    <button class="icon-button" aria-label=labels::MAKE_COVER disabled=i == 0
                                        on:click=move |_| editor.make_cover(id)><Icon path=icons::STAR /></button>
                                    <button class="icon-button" aria-label=labels::MOVE_LATER disabled=i + 1 == count
                                        on:click=move |_| editor.move_photo(id, 1)><Icon path=icons::RIGHT /></button>
                                    <button class="icon-button" aria-label=labels::ROTATE_PHOTO data-action="rotate"
                                        on:click=move |_| editor.rotate_photo(id)><Icon path=icons::ROTATE /></button>
                                    <button class="icon-button" aria-label=labels::REMOVE_PHOTO
                                        on:click=move |_| editor.remove_photo(id)><Icon path=icons::CLOSE /></button>
                                </div>
                            </li>
                        }
                    }).collect_view()
                })}
                {move || editor.pending_photos.get().into_iter().map(|p| view! {
                    <li class="photo photo-pending" data-stage=p.stage.name()>
                        <span class="photo-name">{p.name}</span>
                        <progress max=PhotoStage::STEPS value=p.stage.step()></progress>
                        <span class="photo-stage">{labels::photo_stage(p.stage.name())}</span>
                    </li>
                }).collect_view()}
            </ol>
            <p class="hint photo-status" aria-live="polite">
                {move || {
                    let waiting = editor.pending_photos.with(Vec::len);
                    let saved = editor.draft.with(|d| d.as_ref().map_or(0, |d| d.photos.len()));
                    labels::photo_count(saved, waiting, PHOTOS_MAX)
                }}
                {move || match editor.left_out.get() {
                    0 => None,
                    n => Some(view! { <span class="photo-left-out">{labels::photos_left_out(n, PHOTOS_MAX)}</span> }),
                }}
            </p>
            <div class="photo-add">
                <button class="button button-quiet" data-action="camera" on:click=open_camera disabled=full>
                    <Icon path=icons::CAMERA />{labels::TAKE_PHOTO}
                </button>
                <input class="visually-hidden" type="file" accept="image/*" capture="environment" tabindex="-1"
                    aria-hidden="true" node_ref=system_camera on:change=picked disabled=full />
                <label class="button button-quiet" class:disabled=full>
                    <Icon path=icons::IMAGE />{labels::ADD_PHOTOS}
                    <input class="visually-hidden" type="file" accept="image/*,.heic,.heif" multiple name="photos"
                        on:change=picked disabled=full />
                </label>
            </div>
            <p class="hint drop-hint">{labels::DROP_HERE}</p>
        </section>
    }
}
