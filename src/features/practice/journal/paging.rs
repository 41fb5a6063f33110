//! Paging through a journal by position, not by page number: a page starts
//! just older (or just newer) than an entry, so the thousandth page costs what
//! the first does (one index range, no OFFSET). Pure, so it is unit-tested.

/// An entry's place in the journal: newest first by time written, then id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub created_at: i64,
    pub id: String,
}

impl Position {
    /// The text a link carries, e.g. `1764950400.0193a2c4-…`.
    pub fn encode(&self) -> String {
        format!("{}.{}", self.created_at, self.id)
    }

    /// Anything that is not a position is no position (the page starts at the newest).
    pub fn parse(text: &str) -> Option<Position> {
        let (at, id) = text.split_once('.')?;
        let created_at = at.parse().ok().filter(|t: &i64| *t >= 0)?;
        let id_ok =
            !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
        id_ok.then(|| Position { created_at, id: id.to_owned() })
    }
}

/// Which page of the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    Newest,
    /// The entries just older than this one.
    Before(Position),
    /// The entries just newer than this one.
    After(Position),
    Oldest,
}

impl Cursor {
    /// From a link's `before`, `after` and `oldest`; the newest page when none is usable.
    pub fn from_query(before: Option<&str>, after: Option<&str>, oldest: bool) -> Cursor {
        if let Some(p) = before.and_then(Position::parse) {
            Cursor::Before(p)
        } else if let Some(p) = after.and_then(Position::parse) {
            Cursor::After(p)
        } else if oldest {
            Cursor::Oldest
        } else {
            Cursor::Newest
        }
    }

    /// Where a page before or after starts; none for the newest or oldest.
    pub fn position(&self) -> Option<&Position> {
        match self {
            Cursor::Before(p) | Cursor::After(p) => Some(p),
            Cursor::Newest | Cursor::Oldest => None,
        }
    }

    /// Whether the rows come oldest first from the database (and are turned round).
    pub fn reads_upward(&self) -> bool {
        matches!(self, Cursor::After(_) | Cursor::Oldest)
    }
}

/// A page of rows, newest first, and where the pages beside it start.
#[derive(Debug)]
pub struct Page<T> {
    pub rows: Vec<T>,
    /// The last row's position, when older rows follow.
    pub older: Option<Position>,
    /// The first row's position, when newer rows come before.
    pub newer: Option<Position>,
}

/// Make a page from up to `size + 1` rows read in the cursor's direction.
pub fn page<T>(cursor: &Cursor, mut rows: Vec<T>, size: usize, position: impl Fn(&T) -> Position) -> Page<T> {
    let more_that_way = rows.len() > size;
    rows.truncate(size);
    if cursor.reads_upward() {
        rows.reverse();
    }
    let (more_older, more_newer) = match cursor {
        Cursor::Newest => (more_that_way, false),
        Cursor::Before(_) => (more_that_way, true),
        Cursor::After(_) => (true, more_that_way),
        Cursor::Oldest => (false, more_that_way),
    };
    Page {
        older: rows.last().filter(|_| more_older).map(&position),
        newer: rows.first().filter(|_| more_newer).map(&position),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(n: i64) -> Position {
        Position { created_at: n, id: format!("{n:04x}") }
    }

    #[test]
    fn positions_round_trip_and_nonsense_is_the_newest_page() {
        let p = Position { created_at: 1_764_950_400, id: "0193a2c4-7d1e-7000-8000-00000000abcd".into() };
        assert_eq!(Position::parse(&p.encode()), Some(p));
        for bad in
            ["", "12", "x.abc", "-5.abc", "12.", "12.<script>", "12.abc'--", &format!("1.{}", "a".repeat(65))]
        {
            assert_eq!(Position::parse(bad), None, "{bad}");
        }
        assert_eq!(Cursor::from_query(Some("junk"), None, false), Cursor::Newest);
        assert_eq!(Cursor::from_query(None, Some("7.0007"), true), Cursor::After(at(7)));
        assert_eq!(Cursor::from_query(None, None, true), Cursor::Oldest);
    }

    #[test]
    fn pages_know_their_neighbours() {
        // Rows are numbered by time; each read gives size + 1 rows when there are more.
        let pos = |n: &i64| at(*n);
        let first = page(&Cursor::Newest, vec![30, 29, 28], 2, pos);
        assert_eq!(first.rows, [30, 29]);
        assert_eq!((first.older, first.newer), (Some(at(29)), None));
        let middle = page(&Cursor::Before(at(29)), vec![28, 27, 26], 2, pos);
        assert_eq!(middle.rows, [28, 27]);
        assert_eq!((middle.older, middle.newer), (Some(at(27)), Some(at(28))));
        let back = page(&Cursor::After(at(27)), vec![28, 29, 30], 2, pos);
        assert_eq!(back.rows, [29, 28], "read upward, shown newest first");
        assert_eq!((back.older, back.newer), (Some(at(28)), Some(at(29))));
        let last = page(&Cursor::Oldest, vec![1, 2, 3], 2, pos);
        assert_eq!(last.rows, [2, 1]);
        assert_eq!((last.older, last.newer), (None, Some(at(2))));
        let only = page(&Cursor::Newest, vec![5], 2, pos);
        assert_eq!((only.older, only.newer), (None, None));
        let empty: Page<i64> = page(&Cursor::Before(at(1)), vec![], 2, pos);
        assert!(empty.rows.is_empty() && empty.older.is_none() && empty.newer.is_none());
    }
}
