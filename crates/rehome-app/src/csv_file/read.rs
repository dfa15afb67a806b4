//! Text to rows: the delimiter (detected from the header line, or forced),
//! the `csv` crate's parse (quoted fields with newlines and delimiters), each
//! record's 1-based starting line, empty lines skipped and counted, the
//! header mapped to columns (`--map` first), and ragged rows caught.

use rehome_model::ipc::{CsvColumn, normalise};

/// The delimiters a file may use.
pub(super) const DELIMITERS: &[u8] = b",;\t";

/// The header line's most frequent delimiter outside quotes (`,` when none).
pub(super) fn detect_delimiter(text: &str) -> u8 {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for b in line.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(i) = DELIMITERS.iter().position(|d| *d == b) {
            counts[i] += 1;
        }
    }
    let best = (0..3)
        .max_by_key(|i| (counts[*i], std::cmp::Reverse(*i)))
        .unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        DELIMITERS[best]
    }
}

/// A column of the file: its header as written, and what it maps to.
#[derive(Clone, Debug)]
pub(super) struct Header {
    pub text: String,
    pub column: Option<CsvColumn>,
}

/// The file as records.
pub(super) struct Parsed {
    pub headers: Vec<Header>,
    /// (1-based starting line, cells) of each data row, in order.
    pub rows: Vec<(u64, Vec<String>)>,
    pub empty_lines: u64,
}

/// Maps the header row. `map`: (header as the user wrote it, field name).
fn headers(cells: &[String], map: &[(String, String)]) -> Result<Vec<Header>, String> {
    let mut out: Vec<Header> = Vec::new();
    for text in cells {
        let mapped = map
            .iter()
            .find(|(h, _)| normalise(h) == normalise(text))
            .map(|(h, field)| {
                CsvColumn::parse(field)
                    .ok_or_else(|| format!("--map {h:?}={field:?}: {field:?} is not a column"))
            })
            .transpose()?;
        let column = mapped.or_else(|| CsvColumn::parse(text));
        if let Some(c) = column
            && let Some(other) = out.iter().find(|h| h.column == Some(c))
        {
            return Err(format!(
                "two columns are {}: {:?} and {text:?}",
                c.header(),
                other.text
            ));
        }
        out.push(Header {
            text: text.clone(),
            column,
        });
    }
    for (h, _) in map {
        if !cells.iter().any(|c| normalise(c) == normalise(h)) {
            return Err(format!("--map {h:?}: the file has no such column"));
        }
    }
    Ok(out)
}

/// Line numbers of byte offsets (1-based; `\r\n` and `\n` end a line).
struct Lines {
    newlines: Vec<usize>,
}

impl Lines {
    fn new(text: &str) -> Self {
        Lines {
            newlines: text
                .bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        }
    }

    /// The line of the byte at `offset`.
    fn at(&self, offset: usize) -> u64 {
        self.newlines.partition_point(|n| *n < offset) as u64 + 1
    }

    /// How many lines the text has (a last line without its newline counts).
    fn count(&self, text: &str) -> u64 {
        let n = self.newlines.len() as u64;
        if text.is_empty() || text.ends_with('\n') {
            n
        } else {
            n + 1
        }
    }
}

pub(super) fn parse(text: &str, delimiter: u8, map: &[(String, String)]) -> Result<Parsed, String> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let lines = Lines::new(text);
    let bytes = text.as_bytes();
    let mut record = csv::StringRecord::new();
    // The line the previous record ended on (0 before the first).
    let mut last_line = 0u64;
    let mut empty_lines = 0u64;
    let mut header: Option<Vec<Header>> = None;
    let mut rows = Vec::new();
    loop {
        let more = reader
            .read_record(&mut record)
            .map_err(|e| format!("the file cannot be read as CSV: {e}"))?;
        if !more {
            break;
        }
        // The parser reports where it began reading: before the line ends
        // and empty lines it stepped over. The record starts after them.
        let mut start = record.position().map_or(0, |p| p.byte() as usize);
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        let start_line = lines.at(start);
        // Its last byte before any line end the parser took with it.
        let mut end = (reader.position().byte() as usize).min(bytes.len());
        while end > start && matches!(bytes[end - 1], b'\r' | b'\n') {
            end -= 1;
        }
        let end_line = lines.at(end.saturating_sub(1).max(start));
        empty_lines += start_line.saturating_sub(last_line + 1);
        last_line = end_line;
        let cells: Vec<String> = record.iter().map(str::to_owned).collect();
        // A line of nothing but delimiters (a blank row from a spreadsheet)
        // is empty too.
        if cells.iter().all(|c| c.is_empty()) {
            empty_lines += 1;
            continue;
        }
        match &header {
            None => header = Some(headers(&cells, map)?),
            Some(_) => rows.push((start_line, cells)),
        }
    }
    empty_lines += lines.count(text).saturating_sub(last_line);
    let headers = header.ok_or("the file is empty: no header row")?;
    Ok(Parsed {
        headers,
        rows,
        empty_lines,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delimiter_is_the_header_lines_most_frequent() {
        let cases: &[(&str, u8)] = &[
            ("title,price\n", b','),
            ("title;price;brand\n", b';'),
            ("title\tprice\n", b'\t'),
            ("\n\n\"a;b\",c\n", b','),
            ("title\n", b','),
        ];
        for (text, d) in cases {
            assert_eq!(detect_delimiter(text), *d, "{text:?}");
        }
    }

    #[test]
    fn records_start_on_their_line_and_empty_lines_are_counted() {
        let text = "\ntitle,description\nA,\"two\nlines\"\n\n,\nB,x\n\n";
        let p = parse(text, b',', &[]).unwrap();
        let lines: Vec<u64> = p.rows.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [3, 7]);
        assert_eq!(p.rows[0].1, ["A", "two\nlines"]);
        // Line 1, line 5, the blank row on line 6 and line 8.
        assert_eq!(p.empty_lines, 4);
    }
}
