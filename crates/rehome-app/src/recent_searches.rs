//! The searches the buyer ran on this device, newest first, so the search
//! screen can offer them again with one tap. Kept in `recent_searches.json`
//! in the data folder, rewritten whole (temp file, fsync, rename), so a kill
//! leaves the old list or the new one.

use crate::{App, AppError};
use rehome_model::ipc::SearchQuery;

const RECENT_FILE: &str = "recent_searches.json";

/// How many searches are kept.
pub const RECENT_SEARCHES_KEPT: usize = 10;

/// `query` as it is remembered: no page, text trimmed. `None` when there is
/// nothing to remember (no text and no filter: the screen's opening state).
pub fn remembered(query: &SearchQuery) -> Option<SearchQuery> {
    let mut q = query.clone();
    q.cursor = None;
    q.limit = None;
    q.q =
        q.q.map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|t| !t.is_empty());
    let blank = SearchQuery {
        sort: q.sort,
        my_size: q.my_size,
        ..SearchQuery::default()
    };
    (q != blank).then_some(q)
}

/// `list` with `query` put first: once (an older copy moves up), at most
/// [`RECENT_SEARCHES_KEPT`] kept.
pub fn with_search(mut list: Vec<SearchQuery>, query: SearchQuery) -> Vec<SearchQuery> {
    list.retain(|q| *q != query);
    list.insert(0, query);
    list.truncate(RECENT_SEARCHES_KEPT);
    list
}

impl App {
    /// The searches run on this device, newest first. A damaged file is an
    /// error that names it (and is left as it is), never silently nothing.
    pub fn recent_searches(&self) -> Result<Vec<SearchQuery>, AppError> {
        let path = self.config().data_dir.join(RECENT_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| AppError::DamagedFile {
                path: path.clone(),
                reason: e.to_string(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(AppError::io(path, e)),
        }
    }

    /// Puts `query` first in the recent searches (see [`with_search`]) and
    /// returns them; a query with nothing in it changes nothing.
    #[tracing::instrument(skip(self))]
    pub fn remember_search(&self, query: SearchQuery) -> Result<Vec<SearchQuery>, AppError> {
        let list = self.recent_searches()?;
        let Some(query) = remembered(&query) else {
            return Ok(list);
        };
        self.write_recent(with_search(list, query))
    }

    /// Forgets every recent search on this device.
    #[tracing::instrument(skip(self))]
    pub fn forget_searches(&self) -> Result<Vec<SearchQuery>, AppError> {
        self.write_recent(Vec::new())
    }

    fn write_recent(&self, list: Vec<SearchQuery>) -> Result<Vec<SearchQuery>, AppError> {
        // Never an empty file in place of the list: a failure is an error.
        let json = serde_json::to_vec_pretty(&list)
            .map_err(|e| AppError::io(self.config().data_dir.join(RECENT_FILE), e.into()))?;
        crate::atomic_file::write(&self.config().data_dir, RECENT_FILE, &json)?;
        Ok(list)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rehome_model::api::SearchSort;

    fn text(t: &str) -> SearchQuery {
        SearchQuery {
            q: Some(t.to_owned()),
            ..SearchQuery::default()
        }
    }

    #[test]
    fn what_is_remembered_of_a_query() {
        #[track_caller]
        fn check(query: SearchQuery, expected: Option<SearchQuery>) {
            assert_eq!(remembered(&query), expected);
        }
        check(SearchQuery::default(), None);
        check(text("   "), None);
        check(
            SearchQuery {
                sort: SearchSort::PriceAsc,
                my_size: false,
                ..SearchQuery::default()
            },
            None,
        );
        check(text("  red   dress "), Some(text("red dress")));
        let mut paged = text("jeans");
        paged.cursor = Some(rehome_model::Cursor("abc".into()));
        paged.limit = Some(24);
        check(paged, Some(text("jeans")));
        let brand = SearchQuery {
            brand: Some("Zara".into()),
            ..SearchQuery::default()
        };
        check(brand.clone(), Some(brand));
    }

    #[test]
    fn the_newest_comes_first_once_and_the_list_is_capped() {
        #[track_caller]
        fn check(runs: &[&str], expected: &[&str]) {
            let list = runs
                .iter()
                .fold(Vec::new(), |list, t| with_search(list, text(t)));
            let got: Vec<&str> = list.iter().filter_map(|q| q.q.as_deref()).collect();
            assert_eq!(got, expected);
        }
        check(&[], &[]);
        check(&["a"], &["a"]);
        check(&["a", "b"], &["b", "a"]);
        check(&["a", "b", "a"], &["a", "b"]);
        check(
            &["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"],
            &["11", "10", "9", "8", "7", "6", "5", "4", "3", "2"],
        );
    }
}
