//! The draft's photos: add from the camera or the gallery (many at once),
//! reorder, choose the cover, remove. The core compresses every photo.

use super::camera::CameraPanel;
use crate::components::icon::Icon;
use crate::data::device_settings::DeviceSettingsState;
use crate::data::editor::{Editor, PhotoStage};
use crate::data::photo_url::{PhotoSize, photo_src};
use crate::{icons, labels};
use leptos::prelude::*;
use rehome_model::PhotoId;
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
    // Reorder by dragging (pointer events: mouse, pen and touch). With a mouse
    // or pen the whole tile drags; on touch only its grip does, so a swipe
    // over the photos still scrolls the page. The move buttons stay for
    // keyboards and screen readers.
    let drag = RwSignal::new(None::<Drag>);
    let drag_start = move |ev: leptos::ev::PointerEvent, photo: PhotoId| {
        let target = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let on = |selector: &str| {
            target
                .as_ref()
                .and_then(|t| t.closest(selector).ok().flatten())
                .is_some()
        };
        if ev.button() != 0 || on("button") || (ev.pointer_type() == "touch" && !on(".photo-grip"))
        {
            return;
        }
        ev.prevent_default();
        if let Some(tile) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            // Synthetic events have no active pointer to capture; moves still
            // reach the grid as they bubble.
            let _ = tile.set_pointer_capture(ev.pointer_id());
        }
        drag.set(Some(Drag {
            photo,
            pointer: ev.pointer_id(),
            from: (ev.client_x(), ev.client_y()),
            moved: false,
            over: None,
        }));
    };
    let drag_move = move |ev: leptos::ev::PointerEvent| {
        let Some(mut d) = drag.get_untracked() else {
            return;
        };
        if d.pointer != ev.pointer_id() {
            return;
        }
        let (dx, dy) = (ev.client_x() - d.from.0, ev.client_y() - d.from.1);
        if !d.moved && dx * dx + dy * dy < 64 {
            return; // a tap or a click, not a drag (yet)
        }
        d.moved = true;
        d.over = tile_at(ev.client_x(), ev.client_y());
        drag.set(Some(d));
    };
    let drag_end = move |ev: leptos::ev::PointerEvent| {
        let Some(d) = drag.get_untracked() else {
            return;
        };
        if d.pointer != ev.pointer_id() {
            return;
        }
        drag.set(None);
        let over = tile_at(ev.client_x(), ev.client_y()).or(d.over);
        if let (true, Some(over)) = (d.moved, over)
            && over != d.photo
        {
            editor.move_photo_onto(d.photo, over);
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
            <ol class="photo-grid" on:pointermove=drag_move on:pointerup=drag_end
                on:pointercancel=move |_| drag.set(None)>
                {move || editor.draft.get().map(|d| {
                    let count = d.photos.len();
                    d.photos.into_iter().enumerate().map(|(i, p)| {
                        let id = p.id;
                        view! {
                            <li class="photo" data-photo=id.to_string() data-sha256=p.sha256.clone()
                                class:turning=move || editor.rotating.with(|r| r.contains(&id))
                                class:drag-source=move || drag.with(|d| d.as_ref().is_some_and(|d| d.moved && d.photo == id))
                                class:drop-target=move || drag.with(|d| d.as_ref().is_some_and(|d| d.over == Some(id) && d.photo != id))
                                on:pointerdown=move |ev| drag_start(ev, id)>
                                {if p.missing {
                                    view! { <span class="photo-missing">{labels::PHOTO_MISSING}</span> }.into_any()
                                } else {
                                    view! { <img src=photo_src(id, PhotoSize::Thumb) alt="" draggable="false" /> }.into_any()
                                }}
                                <span class="photo-grip" aria-hidden="true"><Icon path=icons::GRIP /></span>
                                {(i == 0).then(|| view! { <span class="photo-cover">{labels::COVER}</span> })}
                                <div class="photo-tools">
                                    <button class="icon-button" aria-label=labels::MOVE_EARLIER disabled=i == 0
                                        on:click=move |_| editor.move_photo(id, -1)><Icon path=icons::LEFT /></button>
                                    <button class="icon-button" aria-label=labels::MAKE_COVER disabled=i == 0
                                        on:click=move |_| editor.make_cover(id)><Icon path=icons::STAR /></button>
                                    <button class="icon-button" aria-label=labels::MOVE_LATER disabled=i + 1 == count
                                        on:click=move |_| editor.move_photo(id, 1)><Icon path=icons::RIGHT /></button>
                                    <button class="icon-button" aria-label=labels::ROTATE_PHOTO data-action="rotate"
                                        disabled=move || editor.rotating.with(|r| r.contains(&id))
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
            <KeepOriginals />
        </section>
    }
}

/// "Keep originals": off by default, so only the compressed photo is kept.
/// The core saves the choice for this device.
#[component]
fn KeepOriginals() -> impl IntoView {
    let settings = DeviceSettingsState::get();
    settings.refresh();
    view! {
        <label class="keep-originals">
            <input type="checkbox" data-action="keep-originals"
                disabled=move || settings.saved.with(Option::is_none)
                prop:checked=move || settings.keep_originals()
                on:change=move |ev| settings.set_keep_originals(event_target_checked(&ev)) />
            <Icon path=icons::IMAGE />{labels::KEEP_ORIGINALS}
        </label>
        {move || settings.error.get().map(|e| view! {
            <p class="notice" role="alert" data-code=e.code.as_str()>{e.message}</p>
        })}
    }
}

/// A tile being dragged.
#[derive(Clone, Copy, Debug)]
struct Drag {
    photo: PhotoId,
    pointer: i32,
    from: (i32, i32),
    /// Moved far enough to be a drag rather than a tap.
    moved: bool,
    /// The saved photo's tile under the pointer.
    over: Option<PhotoId>,
}

/// The saved photo whose tile is at this point of the window, if any.
fn tile_at(x: i32, y: i32) -> Option<PhotoId> {
    let element = web_sys::window()?
        .document()?
        .element_from_point(x as f32, y as f32)?;
    let tile = element.closest(".photo[data-photo]").ok()??;
    tile.get_attribute("data-photo")?.parse().ok()
}
