//! Likes, follows and the buyer's sizes. A like or follow is saved on the
//! device at once (one outbox row, one transaction: it survives a restart and
//! goes out exactly once at the next sync); the sync runner is nudged to send
//! it. Sizes are an account setting, saved on the server.

use crate::read_cache::unreachable;
use crate::{App, AppError};
use rehome_model::UserId;
use rehome_model::api::{Me, SettingsUpdate};
use rehome_model::ipc::{FollowChange, LikeChange, ListingRequest, SellerRequest, Sizes};
use rehome_model::sync::Mutation;

impl App {
    pub(crate) fn queue_social(&self, mutation: Mutation) -> Result<(), AppError> {
        if self.signed_in_account()?.is_none() && self.config().token.is_none() {
            return Err(AppError::NotSignedIn);
        }
        self.store()?.queue_social(mutation)?;
        self.sync_trigger.nudge();
        Ok(())
    }

    /// Likes a listing (queued; sent at the next sync).
    #[tracing::instrument(skip(self))]
    pub fn like(&self, req: ListingRequest) -> Result<LikeChange, AppError> {
        self.queue_social(Mutation::Like {
            listing_id: req.listing_id,
        })?;
        Ok(LikeChange {
            listing_id: req.listing_id,
            liked: true,
        })
    }

    /// Takes a like back (queued; sent at the next sync).
    #[tracing::instrument(skip(self))]
    pub fn unlike(&self, req: ListingRequest) -> Result<LikeChange, AppError> {
        self.queue_social(Mutation::Unlike {
            listing_id: req.listing_id,
        })?;
        Ok(LikeChange {
            listing_id: req.listing_id,
            liked: false,
        })
    }

    /// The seller a handle or id names: from the server, or offline from a
    /// seller card, closet or listing page seen before.
    async fn seller_id(&self, seller: &str) -> Result<(UserId, String), AppError> {
        let seller = seller.trim().trim_start_matches('@');
        match self
            .seller(SellerRequest {
                seller: seller.to_owned(),
            })
            .await
        {
            Ok(summary) => Ok((summary.id, summary.handle)),
            // Offline and never seen: an id is still good enough to queue.
            Err(e) if unreachable(&e) => match seller.parse::<UserId>() {
                Ok(id) => Ok((id, String::new())),
                Err(_) => Err(e),
            },
            Err(e) => Err(e),
        }
    }

    /// Follows a seller, by handle or id (queued; sent at the next sync).
    #[tracing::instrument(skip(self))]
    pub async fn follow(&self, req: SellerRequest) -> Result<FollowChange, AppError> {
        let (seller_id, handle) = self.seller_id(&req.seller).await?;
        self.queue_social(Mutation::Follow { seller_id })?;
        Ok(FollowChange {
            seller_id,
            handle,
            following: true,
        })
    }

    /// Stops following a seller, by handle or id (queued; sent at the next sync).
    #[tracing::instrument(skip(self))]
    pub async fn unfollow(&self, req: SellerRequest) -> Result<FollowChange, AppError> {
        let (seller_id, handle) = self.seller_id(&req.seller).await?;
        self.queue_social(Mutation::Unfollow { seller_id })?;
        Ok(FollowChange {
            seller_id,
            handle,
            following: false,
        })
    }

    /// Sets the buyer's sizes on their account (online: the server checks
    /// and keeps them). Replies with the sizes as saved.
    #[tracing::instrument(skip(self))]
    pub async fn set_my_sizes(&self, req: Sizes) -> Result<Sizes, AppError> {
        let reader = self.signed_in_reader()?;
        let token = reader.token.clone().unwrap_or_default();
        let update = SettingsUpdate {
            sizes: Some(req.sizes),
            notifications: None,
        };
        let me: Me = reader
            .server
            .put_json_as("/v1/me/settings", &token, &update)
            .await?;
        self.reads
            .keep(&reader.scope, "me", "/v1/me", &me, self.now_millis());
        Ok(Sizes { sizes: me.sizes })
    }
}
