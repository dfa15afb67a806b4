//! What a buyer reads: a listing page (anyone's), a seller's card and closet,
//! search, the Likes list and the buyer's own sizes. Each read is asked as the
//! signed-in buyer (anonymous when nobody is), and a copy is kept per account
//! (`read_cache`) so every page seen once reads again offline.

use crate::http::ServerClient;
use crate::read_cache::{Scope, unreachable};
use crate::{App, AppError};
use rehome_model::api::{ClosetPage, LikedListing, ListingDetail, Me, SellerSummary};
use rehome_model::ipc::{
    ClosetQuery, LikesQuery, ListingPage, ListingRequest, OfflineCopy, SearchQuery, SellerRequest,
    Sizes,
};
use rehome_model::{Cursor, FeedPage};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Who reads, from where: the account's server and token, or anonymous.
pub(crate) struct Reader {
    pub(crate) server: ServerClient,
    pub(crate) token: Option<String>,
    pub(crate) scope: Scope,
}

fn page_pairs(cursor: &Option<Cursor>, limit: Option<u32>) -> [(&'static str, Option<String>); 2] {
    [
        ("cursor", cursor.as_ref().map(|c| c.0.clone())),
        ("limit", limit.map(|l| l.to_string())),
    ]
}

impl App {
    /// The signed-in buyer, or anonymous when nobody is signed in (or their
    /// token cannot be read: the reads still work, unpersonalised).
    pub(crate) fn reader(&self) -> Reader {
        let account = self.signed_in_account().ok().flatten();
        match self.session() {
            Ok(session) => {
                let scope = match &account {
                    Some(a) => Scope::account(&a.server, &a.handle),
                    None => Scope::account(session.base_url(), "token"),
                };
                let server = self
                    .server_at(session.base_url())
                    .unwrap_or_else(|_| self.server.clone());
                Reader {
                    server,
                    token: Some(session.token),
                    scope,
                }
            }
            Err(e) => {
                if !matches!(e, AppError::NotSignedIn) {
                    tracing::warn!(error = %e, "reading as nobody: the session is not usable");
                }
                Reader {
                    server: self.server.clone(),
                    token: None,
                    scope: Scope::anonymous(),
                }
            }
        }
    }

    /// The signed-in buyer; `NotSignedIn` when nobody is.
    pub(crate) fn signed_in_reader(&self) -> Result<Reader, AppError> {
        let reader = self.reader();
        if reader.token.is_none() {
            return Err(AppError::NotSignedIn);
        }
        Ok(reader)
    }

    /// GETs `path` as `reader`, keeping a copy; the copy seen last when the
    /// server cannot be reached.
    pub(crate) async fn read_through<T: Serialize + DeserializeOwned>(
        &self,
        reader: &Reader,
        kind: &str,
        path: &str,
    ) -> Result<T, AppError> {
        Ok(self.read_or_copy(reader, kind, path).await?.0)
    }

    /// [`App::read_through`], saying when the value is the device's copy
    /// (when it was fetched).
    pub(crate) async fn read_or_copy<T: Serialize + DeserializeOwned>(
        &self,
        reader: &Reader,
        kind: &str,
        path: &str,
    ) -> Result<(T, Option<u64>), AppError> {
        match reader
            .server
            .get_json_as::<T>(path, reader.token.as_deref())
            .await
        {
            Ok(value) => {
                self.reads
                    .keep(&reader.scope, kind, path, &value, self.now_millis());
                Ok((value, None))
            }
            Err(e) if unreachable(&e) => self
                .reads
                .load(&reader.scope, kind, path)
                .map(|(value, fetched_at)| (value, Some(fetched_at)))
                .ok_or(e),
            Err(e) => Err(e),
        }
    }

    /// Keeps a seller card seen inside another reply under both of its
    /// names, so a follow of that seller by handle works offline.
    fn remember_seller(&self, reader: &Reader, seller: &SellerSummary) {
        for key in [seller.handle.clone(), seller.id.to_string()] {
            let path = format!("/v1/sellers/{}", crate::url_query::percent_encode(&key));
            self.reads
                .keep(&reader.scope, "seller", &path, seller, self.now_millis());
        }
    }

    /// Anyone's listing as its page shows it (sold and delisted ones say so
    /// in `status`). Offline, the copy seen last, saying how old it is and,
    /// past a day, that it may have sold.
    #[tracing::instrument(skip(self))]
    pub async fn listing_page(&self, req: ListingRequest) -> Result<ListingPage, AppError> {
        let reader = self.reader();
        let path = format!("/v1/listings/{}", req.listing_id);
        let (listing, copy): (ListingDetail, _) =
            self.read_or_copy(&reader, "listing", &path).await?;
        self.remember_seller(&reader, &listing.seller);
        let offline = copy.map(|at| OfflineCopy::of(listing.status, at, self.now_millis()));
        Ok(ListingPage { listing, offline })
    }

    /// A seller's card: counts, and whether the buyer follows them.
    #[tracing::instrument(skip(self))]
    pub async fn seller(&self, req: SellerRequest) -> Result<SellerSummary, AppError> {
        let reader = self.reader();
        let path = format!(
            "/v1/sellers/{}",
            crate::url_query::percent_encode(req.seller.trim())
        );
        self.read_through(&reader, "seller", &path).await
    }

    /// One page of a seller's closet, under their card.
    #[tracing::instrument(skip(self))]
    pub async fn closet(&self, q: ClosetQuery) -> Result<ClosetPage, AppError> {
        let reader = self.reader();
        let base = format!(
            "/v1/sellers/{}/listings",
            crate::url_query::percent_encode(q.seller.trim())
        );
        let path = crate::url_query::with_query(&base, &page_pairs(&q.cursor, q.limit));
        let page: ClosetPage = self.read_through(&reader, "closet", &path).await?;
        self.remember_seller(&reader, &page.seller);
        Ok(page)
    }

    /// One page of what the buyer liked, latest first, with each item's
    /// status and its price when liked.
    #[tracing::instrument(skip(self))]
    pub async fn likes(&self, q: LikesQuery) -> Result<FeedPage<LikedListing>, AppError> {
        let reader = self.signed_in_reader()?;
        let path = crate::url_query::with_query("/v1/me/likes", &page_pairs(&q.cursor, q.limit));
        self.read_through(&reader, "likes", &path).await
    }

    /// The buyer's sizes as their account keeps them (the copy seen last
    /// offline).
    #[tracing::instrument(skip(self))]
    pub async fn my_sizes(&self) -> Result<Sizes, AppError> {
        let reader = self.signed_in_reader()?;
        let me: Me = self.read_through(&reader, "me", "/v1/me").await?;
        Ok(Sizes { sizes: me.sizes })
    }

    /// Search. With `my_size` on and no `size` given, the buyer's own sizes
    /// filter the results (when signed in and they have any).
    #[tracing::instrument(skip(self))]
    pub async fn search(&self, q: SearchQuery) -> Result<FeedPage, AppError> {
        let reader = self.reader();
        let sizes: Vec<String> = match (&q.size, q.my_size, &reader.token) {
            (Some(size), _, _) => vec![size.clone()],
            (None, true, Some(_)) => match self.my_sizes().await {
                Ok(s) => s.sizes,
                Err(e) if unreachable(&e) => Vec::new(),
                Err(e) => return Err(e),
            },
            _ => Vec::new(),
        };
        let mut pairs = vec![
            ("q", q.q.clone().filter(|s| !s.trim().is_empty())),
            ("category", q.category.clone()),
            ("brand", q.brand.clone()),
            ("minPrice", q.min_price.map(|m| m.0.to_string())),
            ("maxPrice", q.max_price.map(|m| m.0.to_string())),
            ("condition", q.condition.map(|c| c.as_str().to_owned())),
            ("sort", Some(q.sort.as_str().to_owned())),
        ];
        // Several sizes go as one `;`-separated value (a size may hold a
        // comma: "42,5").
        let sizes = sizes
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(";");
        pairs.push(("size", (!sizes.is_empty()).then_some(sizes)));
        pairs.extend(page_pairs(&q.cursor, q.limit));
        let path = crate::url_query::with_query("/v1/search", &pairs);
        self.read_through(&reader, "search", &path).await
    }
}
