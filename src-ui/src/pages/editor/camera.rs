//! The in-app camera: a live view with a shutter, the rear camera first, a
//! switch when there are several, and a way forward when access is refused or
//! the webview has no camera API (the phone's own camera app, or the gallery).

use crate::components::icon::Icon;
use crate::data::editor::Editor;
use crate::{icons, labels};
use leptos::html::Video;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// Why the live view is not showing.
#[derive(Clone, PartialEq)]
enum Problem {
    /// The seller said no (or the system did).
    Refused,
    /// No camera API or no camera.
    Unavailable(String),
}

#[component]
pub fn CameraPanel(
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] fallback: Callback<()>,
) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let video = NodeRef::<Video>::new();
    let stream = StoredValue::new_local(None::<web_sys::MediaStream>);
    let cameras = RwSignal::new(Vec::<String>::new());
    let which = RwSignal::new(0usize);
    let problem = RwSignal::new(None::<Problem>);
    let live = RwSignal::new(false);

    let stop = move || {
        if let Some(s) = stream.try_update_value(Option::take).flatten() {
            for track in s.get_tracks().iter() {
                if let Ok(track) = track.dyn_into::<web_sys::MediaStreamTrack>() {
                    track.stop();
                }
            }
        }
        live.set(false);
    };

    let start = move |device: Option<String>| {
        stop();
        let Some(devices) = web_sys::window().and_then(|w| w.navigator().media_devices().ok())
        else {
            problem.set(Some(Problem::Unavailable(
                "no camera API in this webview".into(),
            )));
            return;
        };
        let video_wanted = js_sys::Object::new();
        match &device {
            Some(id) => set(&video_wanted, "deviceId", &exact(id)),
            None => set(
                &video_wanted,
                "facingMode",
                &JsValue::from_str("environment"),
            ),
        }
        let constraints = web_sys::MediaStreamConstraints::new();
        constraints.set_video(&video_wanted);
        constraints.set_audio(&JsValue::FALSE);
        let promise = match devices.get_user_media_with_constraints(&constraints) {
            Ok(p) => p,
            Err(e) => {
                problem.set(Some(Problem::Unavailable(js_text(&e))));
                return;
            }
        };
        spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(s) => {
                    let s: web_sys::MediaStream = s.unchecked_into();
                    if let Some(v) = video.get_untracked() {
                        v.set_src_object(Some(&s));
                        let _ = v.play();
                    }
                    stream.set_value(Some(s));
                    problem.set(None);
                    live.set(true);
                    if let Ok(list) = devices.enumerate_devices()
                        && let Ok(list) = wasm_bindgen_futures::JsFuture::from(list).await
                    {
                        let ids = js_sys::Array::from(&list)
                            .iter()
                            .filter_map(|d| d.dyn_into::<web_sys::MediaDeviceInfo>().ok())
                            .filter(|d| d.kind() == web_sys::MediaDeviceKind::Videoinput)
                            .map(|d| d.device_id())
                            .collect();
                        cameras.set(ids);
                    }
                }
                Err(e) => {
                    let name = js_sys::Reflect::get(&e, &JsValue::from_str("name"))
                        .ok()
                        .and_then(|n| n.as_string());
                    problem.set(Some(match name.as_deref() {
                        Some("NotAllowedError") | Some("SecurityError") => Problem::Refused,
                        _ => Problem::Unavailable(js_text(&e)),
                    }));
                }
            }
        });
    };

    let shutter = move |_| {
        let Some(v) = video.get_untracked() else {
            return;
        };
        let (w, h) = (v.video_width(), v.video_height());
        if w == 0 || h == 0 {
            return;
        }
        let Some(canvas) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.create_element("canvas").ok())
            .and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok())
        else {
            return;
        };
        canvas.set_width(w);
        canvas.set_height(h);
        let Some(ctx) = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        else {
            return;
        };
        if ctx
            .draw_image_with_html_video_element(&v, 0.0, 0.0)
            .is_err()
        {
            return;
        }
        // The core compresses it like any other photo.
        let done = Closure::once_into_js(move |blob: JsValue| {
            if let Ok(blob) = blob.dyn_into::<web_sys::Blob>() {
                editor.add_images(vec![(labels::CAMERA_SHOT.to_owned(), blob)]);
            }
        });
        let _ = canvas.to_blob_with_type_and_encoder_options(
            done.unchecked_ref(),
            "image/jpeg",
            &JsValue::from_f64(0.95),
        );
    };

    let switch = move |_| {
        let ids = cameras.get_untracked();
        if ids.len() > 1 {
            let next = (which.get_untracked() + 1) % ids.len();
            which.set(next);
            start(Some(ids[next].clone()));
        }
    };

    Effect::new(move |_| {
        if video.get().is_some() {
            start(None);
        }
    });
    on_cleanup(stop);

    view! {
        <div class="camera" role="dialog" aria-label=labels::TAKE_PHOTO>
            <video node_ref=video class="camera-view" autoplay=true playsinline=true muted=true
                hidden=move || !live.get()></video>
            {move || problem.get().map(|p| {
                let text = match p {
                    Problem::Refused => labels::CAMERA_REFUSED.to_owned(),
                    Problem::Unavailable(why) => format!("{} ({why})", labels::CAMERA_UNAVAILABLE),
                };
                view! {
                    <div class="notice" role="alert" data-camera="problem">
                        <span>{text}</span>
                        <button class="button" on:click=move |_| fallback.run(())>
                            <Icon path=icons::IMAGE />{labels::CAMERA_FALLBACK}
                        </button>
                    </div>
                }
            })}
            <div class="camera-bar">
                <button class="icon-button" aria-label=labels::CLOSE on:click=move |_| { stop(); on_close.run(()) }>
                    <Icon path=icons::CLOSE />
                </button>
                <button class="shutter" data-action="shutter" aria-label=labels::SHUTTER
                    disabled=move || !live.get() || editor.room() == 0
                    on:click=shutter></button>
                <button class="icon-button" aria-label=labels::SWITCH_CAMERA on:click=switch
                    disabled=move || cameras.with(|c| c.len() < 2)>
                    <Icon path=icons::RETRY />
                </button>
            </div>
        </div>
    }
}

fn set(target: &js_sys::Object, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), value);
}

/// `{exact: id}`
fn exact(id: &str) -> JsValue {
    let o = js_sys::Object::new();
    set(&o, "exact", &JsValue::from_str(id));
    o.into()
}

fn js_text(e: &JsValue) -> String {
    js_sys::Reflect::get(e, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into())
}
