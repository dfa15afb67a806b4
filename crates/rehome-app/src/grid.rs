//! The seller's grid on the desktop: pages and counts of every listing and
//! draft, filtered and sorted in the store.

use crate::{App, AppError};
use rehome_model::ipc::{GridCount, GridFilterRequest, GridPage, GridQuery};

impl App {
    /// One page of the grid, and how many rows match in all.
    #[tracing::instrument(skip_all, fields(offset = q.offset, limit = q.limit))]
    pub fn grid_page(&self, q: GridQuery) -> Result<GridPage, AppError> {
        Ok(self.store()?.grid_page(&q)?)
    }

    /// How many rows the filters match.
    #[tracing::instrument(skip_all)]
    pub fn grid_count(&self, req: GridFilterRequest) -> Result<GridCount, AppError> {
        let count = self.store()?.grid_count(&req.filters)?;
        Ok(GridCount { count })
    }
}
