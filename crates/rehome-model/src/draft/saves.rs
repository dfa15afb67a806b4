//! The editor's side of saving a draft's fields, as plain data so that it
//! tests without a webview (the UI's `src-ui/src/data/editor/` drives it).
//!
//! Every change is sent at once: nothing the seller typed waits in the page,
//! where a killed app would lose it. So saves of one field can be on their way
//! together, and can cross. Each carries a `seq` from [`SaveSeq`], higher than
//! every save before it from this page and from an earlier load of the page;
//! the core applies a field's saves in `seq` order and skips one that arrives
//! after a later one (see `SetFieldRequest::seq`), so a late save never undoes
//! newer text. [`FieldSaves`] tells the editor which answer to show: only the
//! one to a field's latest save, since an earlier one describes older text.

use super::DraftField;
use std::collections::BTreeMap;

/// Numbers the field saves of one page. Each number is higher than the one
/// before, and higher than any of an earlier load of the page, because it
/// starts from the clock: a thousand numbers to the millisecond.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SaveSeq {
    last: u64,
}

impl SaveSeq {
    pub const fn new() -> Self {
        SaveSeq { last: 0 }
    }

    /// The next number, at `now_ms` milliseconds since the Unix epoch.
    pub fn next(&mut self, now_ms: u64) -> u64 {
        let floor = now_ms.saturating_mul(1_000);
        self.last = self.last.max(floor).saturating_add(1);
        self.last
    }
}

/// One save to send now: a field, its text as typed, and its number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Save {
    pub field: DraftField,
    pub value: String,
    pub seq: u64,
}

/// The saves of one open draft that the core has not answered yet: per field,
/// the number of the latest.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldSaves {
    latest: BTreeMap<DraftField, u64>,
}

impl FieldSaves {
    pub fn new() -> Self {
        FieldSaves::default()
    }

    /// The seller changed `field` to `value`: the save to send at once, even
    /// while an earlier save of the field is on its way.
    pub fn send(
        &mut self,
        field: DraftField,
        value: String,
        seqs: &mut SaveSeq,
        now_ms: u64,
    ) -> Save {
        let seq = seqs.next(now_ms);
        self.latest.insert(field, seq);
        Save { field, value, seq }
    }

    /// The core answered save `seq` of `field`, saved or not. True: it is the
    /// field's latest save, and its answer is the one to show. False: a later
    /// save of the field was sent after it, and that one's answer counts
    /// (whether it has come already or is still to come).
    pub fn answered(&mut self, field: DraftField, seq: u64) -> bool {
        let latest = self.latest.get(&field) == Some(&seq);
        if latest {
            self.latest.remove(&field);
        }
        latest
    }

    /// Whether a save is still on its way (the editor says "Saving").
    pub fn saving(&self) -> bool {
        !self.latest.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DraftField::{Price, Title};
    use Event::*;

    enum Event {
        /// The clock reads this many milliseconds.
        At(u64),
        /// The seller typed: the field's whole text is now this.
        Type(DraftField, &'static str),
        /// The core answers the n-th save of the run (1-based).
        Answer(usize),
        /// The draft is closed and opened again in the same page.
        Reopen,
        /// The page loads again (the webview was killed or reloaded; the core
        /// kept running, and with it its record of each field's latest `seq`).
        /// Saves on their way from the old page never answer it.
        Reload,
    }

    /// Runs `events` through one page's [`SaveSeq`] and an editor's
    /// [`FieldSaves`], and compares what happened, one line per event, with
    /// `expected`. Whatever the case, it also checks the two promises the core
    /// relies on so that no keystroke is lost: each field's saves rise in the
    /// order they were sent, across reopens and reloads; and the last text
    /// typed into each field has been sent (nothing waits in the page).
    fn check(events: &[Event], expected: &[&str]) {
        let mut now = 0;
        let mut seqs = SaveSeq::new();
        let mut saves = FieldSaves::new();
        let mut sent: Vec<Save> = Vec::new();
        let mut page_starts_at = 0;
        let mut typed: BTreeMap<DraftField, &str> = BTreeMap::new();
        let mut got = Vec::new();
        for event in events {
            match *event {
                At(ms) => now = ms,
                Type(field, text) => {
                    typed.insert(field, text);
                    let save = saves.send(field, text.to_owned(), &mut seqs, now);
                    got.push(format!("send {field}={:?} seq {}", save.value, save.seq));
                    sent.push(save);
                }
                Answer(n) => {
                    assert!(n > page_starts_at, "save {n} was sent by an earlier page");
                    let save = &sent[n - 1];
                    let shown = saves.answered(save.field, save.seq);
                    let state = if saves.saving() { "saving" } else { "saved" };
                    let what = if shown { "shown" } else { "skipped" };
                    got.push(format!("answer seq {}: {what}, {state}", save.seq));
                }
                Reopen => {
                    saves = FieldSaves::new();
                    got.push("reopen: saved".to_owned());
                }
                Reload => {
                    seqs = SaveSeq::new();
                    saves = FieldSaves::new();
                    page_starts_at = sent.len();
                    got.push("reload".to_owned());
                }
            }
        }
        assert_eq!(got, expected);
        for field in DraftField::ALL {
            let seqs: Vec<u64> = sent
                .iter()
                .filter(|s| s.field == *field)
                .map(|s| s.seq)
                .collect();
            assert!(
                seqs.windows(2).all(|w| w[0] < w[1]),
                "{field}: saves sent out of order: {seqs:?}"
            );
            let last_sent = sent.iter().rev().find(|s| s.field == *field);
            assert_eq!(
                last_sent.map(|s| s.value.as_str()),
                typed.get(field).copied(),
                "{field}: the last text typed was not sent"
            );
        }
    }

    #[test]
    fn one_save_answered() {
        check(
            &[At(7), Type(Title, "L"), Answer(1)],
            &["send title=\"L\" seq 7001", "answer seq 7001: shown, saved"],
        );
    }

    /// Once, a keystroke typed during a save waited in the page until
    /// that save returned, and a kill lost it. Now it goes at once; the first
    /// answer describes older text and is not shown.
    #[test]
    fn a_save_in_flight_does_not_hold_back_the_next() {
        check(
            &[
                At(7),
                Type(Title, "L"),
                Type(Title, "Li"),
                Answer(1),
                Answer(2),
            ],
            &[
                "send title=\"L\" seq 7001",
                "send title=\"Li\" seq 7002",
                "answer seq 7001: skipped, saving",
                "answer seq 7002: shown, saved",
            ],
        );
    }

    /// A newer save waiting behind the one in flight can be answered first:
    /// the older answer, arriving late, changes nothing on screen.
    #[test]
    fn answers_that_cross_show_the_newest() {
        check(
            &[
                At(7),
                Type(Title, "L"),
                Type(Title, "Li"),
                Type(Title, "Lin"),
                Answer(3),
                Answer(1),
                Answer(2),
            ],
            &[
                "send title=\"L\" seq 7001",
                "send title=\"Li\" seq 7002",
                "send title=\"Lin\" seq 7003",
                "answer seq 7003: shown, saved",
                "answer seq 7001: skipped, saved",
                "answer seq 7002: skipped, saved",
            ],
        );
    }

    /// Each field has its own latest save; one field's answer does not end
    /// another's wait.
    #[test]
    fn fields_are_numbered_together_and_answered_apart() {
        check(
            &[
                At(7),
                Type(Title, "L"),
                Type(Price, "1"),
                Type(Title, "Li"),
                Answer(2),
                Answer(1),
                Answer(3),
            ],
            &[
                "send title=\"L\" seq 7001",
                "send price=\"1\" seq 7002",
                "send title=\"Li\" seq 7003",
                "answer seq 7002: shown, saving",
                "answer seq 7001: skipped, saving",
                "answer seq 7003: shown, saved",
            ],
        );
    }

    /// The clock only sets a floor: a burst within one millisecond still
    /// rises, and a later millisecond starts higher.
    #[test]
    fn numbers_rise_within_a_millisecond_and_jump_with_the_clock() {
        check(
            &[
                At(7),
                Type(Title, "a"),
                Type(Title, "ab"),
                At(9),
                Type(Title, "abc"),
            ],
            &[
                "send title=\"a\" seq 7001",
                "send title=\"ab\" seq 7002",
                "send title=\"abc\" seq 9001",
            ],
        );
    }

    /// A clock that steps back within one page does not make numbers fall.
    #[test]
    fn a_clock_stepping_back_within_a_page_keeps_numbers_rising() {
        check(
            &[At(9), Type(Title, "a"), At(7), Type(Title, "ab")],
            &["send title=\"a\" seq 9001", "send title=\"ab\" seq 9002"],
        );
    }

    /// Closing and opening the draft again, even within the same millisecond,
    /// keeps numbering from the page's counter; the new editor starts saved.
    #[test]
    fn a_reopened_draft_keeps_numbering_from_the_page() {
        check(
            &[
                At(7),
                Type(Title, "L"),
                Reopen,
                Type(Title, "Li"),
                Answer(2),
            ],
            &[
                "send title=\"L\" seq 7001",
                "reopen: saved",
                "send title=\"Li\" seq 7002",
                "answer seq 7002: shown, saved",
            ],
        );
    }

    /// The page is killed with saves on their way and loads again a
    /// millisecond later: its first save outnumbers all of those, so the core
    /// (which skips a save older than one it has seen) applies it.
    #[test]
    fn a_reloaded_page_outnumbers_the_saves_of_the_killed_one() {
        check(
            &[
                At(7),
                Type(Title, "L"),
                Type(Title, "Li"),
                Type(Title, "Lin"),
                At(8),
                Reload,
                Type(Title, "Line"),
                Answer(4),
            ],
            &[
                "send title=\"L\" seq 7001",
                "send title=\"Li\" seq 7002",
                "send title=\"Lin\" seq 7003",
                "reload",
                "send title=\"Line\" seq 8001",
                "answer seq 8001: shown, saved",
            ],
        );
    }
}
