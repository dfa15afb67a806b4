//! IPC commands, generated from the command table (`rehome_model::for_each_command!`):
//! for each row, one function named like the command that calls the
//! [`App`] method of that name in one line and turns its error into the
//! `{code, message}` the UI branches on, and [`handler`], which registers
//! them all. Nothing here is written per command.
//!
//! - `blocking` rows run on Tauri's worker threads (`#[tauri::command(async)]`),
//!   never on the main (UI) thread: they touch the store or the disk.
//! - `async` rows await the facade (sign-in, the feed).
//! - a row with `bytes` takes its typed request from a header and its body as
//!   raw bytes ([`crate::raw_ipc`]).
//!
//! A row whose `App` method is missing, or takes or returns other types than
//! the row says, does not compile.

use rehome_app::{App, AppError};
use rehome_model::ApiError;
use rehome_model::ipc::IpcCommand;
use tauri::State;

/// Command `C`'s request.
type Request<C> = <C as IpcCommand>::Request;
/// Command `C`'s reply: its response, or the error the UI receives.
type Reply<C> = Result<<C as IpcCommand>::Response, ApiError>;

/// A facade method's result as a command's reply, whether the method can
/// fail (`Result<T, AppError>`) or not (`T`).
trait IntoReply<T> {
    fn into_reply(self) -> Result<T, ApiError>;
}

impl<T> IntoReply<T> for Result<T, AppError> {
    fn into_reply(self) -> Result<T, ApiError> {
        self.map_err(ApiError::from)
    }
}

impl<T> IntoReply<T> for T {
    fn into_reply(self) -> Result<T, ApiError> {
        Ok(self)
    }
}

/// One row of the table as a Tauri command.
macro_rules! command {
    ($(#[$doc:meta])* blocking $name:ident $cmd:ident [] []) => {
        $(#[$doc])*
        #[tauri::command(async)]
        fn $name(app: State<'_, App>) -> Reply<rehome_model::ipc::$cmd> {
            app.$name().into_reply()
        }
    };
    ($(#[$doc:meta])* blocking $name:ident $cmd:ident [$req:ty] []) => {
        $(#[$doc])*
        #[tauri::command(async)]
        fn $name(
            app: State<'_, App>,
            req: Request<rehome_model::ipc::$cmd>,
        ) -> Reply<rehome_model::ipc::$cmd> {
            app.$name(req).into_reply()
        }
    };
    ($(#[$doc:meta])* async $name:ident $cmd:ident [] []) => {
        $(#[$doc])*
        #[tauri::command]
        async fn $name(app: State<'_, App>) -> Reply<rehome_model::ipc::$cmd> {
            app.$name().await.into_reply()
        }
    };
    ($(#[$doc:meta])* async $name:ident $cmd:ident [$req:ty] []) => {
        $(#[$doc])*
        #[tauri::command]
        async fn $name(
            app: State<'_, App>,
            req: Request<rehome_model::ipc::$cmd>,
        ) -> Reply<rehome_model::ipc::$cmd> {
            app.$name(req).await.into_reply()
        }
    };
    ($(#[$doc:meta])* blocking $name:ident $cmd:ident [$req:ty] [bytes]) => {
        $(#[$doc])*
        #[tauri::command(async)]
        fn $name(
            app: State<'_, App>,
            request: tauri::ipc::Request<'_>,
        ) -> Reply<rehome_model::ipc::$cmd> {
            let (req, bytes) = crate::raw_ipc::parse::<rehome_model::ipc::$cmd>(&request)?;
            app.$name(req, bytes).into_reply()
        }
    };
}

/// The shell's reading of the table: every command, and the handler of them all.
macro_rules! commands {
    ($(
        $(#[$doc:meta])*
        $cmd:ident = $kind:ident fn $name:ident ($($req:ty)? $(, $body:ident)?) -> $resp:ty;
    )*) => {
        $( command!($(#[$doc])* $kind $name $cmd [$($req)?] [$($body)?]); )*

        /// The invoke handler for every command of the table.
        pub(crate) fn handler() -> impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }
    };
}

rehome_model::for_each_command!(commands);
