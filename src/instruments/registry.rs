//! The instruments this instance offers: the built-in ones, plus any TOML files
//! in `<data_dir>/instruments/` (so a practitioner with a licence for a validated
//! questionnaire can add it without rebuilding). A malformed file is reported
//! with its name, line and reason, and skipped; the rest load.

use std::path::Path;

use super::{self as instrument, Instrument};

const BUILT_IN: &[(&str, &str)] =
    &[("closeness-reflection.toml", include_str!("../../content/instruments/closeness-reflection.toml"))];

/// Load every instrument; the second value lists the files that were skipped and why.
pub fn load(data_dir: &Path) -> (Vec<Instrument>, Vec<String>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for (name, text) in BUILT_IN {
        match instrument::parse(text) {
            Ok(i) => found.push(i),
            Err(e) => problems.push(format!("built-in {name}: {e}")),
        }
    }
    let folder = data_dir.join("instruments");
    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    for path in files.into_iter().filter(|p| p.extension().is_some_and(|e| e == "toml")) {
        let shown = path.display().to_string();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                problems.push(format!("{shown}: cannot read: {e}"));
                continue;
            }
        };
        match instrument::parse(&text) {
            Ok(i) if found.iter().any(|f: &Instrument| f.id == i.id) => {
                problems.push(format!("{shown}: an instrument with id `{}` is already loaded", i.id))
            }
            Ok(i) => found.push(i),
            Err(e) => problems.push(format!("{shown}: {e}")),
        }
    }
    (found, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_scale_is_balanced_and_partly_reverse_keyed() {
        let (all, problems) = load(Path::new("/nonexistent"));
        assert!(problems.is_empty(), "{problems:?}");
        let scale = &all[0];
        assert_eq!(scale.items.len(), 20);
        for d in ["anxiety", "avoidance"] {
            let items: Vec<_> = scale.items.iter().filter(|i| i.dimension == d).collect();
            assert_eq!(items.len(), 10, "{d}");
            assert!(items.iter().filter(|i| i.reverse).count() >= 3, "{d}");
        }
        assert_eq!(scale.points, 7);
        assert_eq!(scale.regions.len(), 4);
        assert!(scale.description.contains("not a validated clinical measure"));
    }

    #[test]
    fn a_bad_file_is_skipped_with_its_line_and_the_rest_load() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("instruments");
        std::fs::create_dir_all(&folder).unwrap();
        let good = include_str!("../../content/instruments/closeness-reflection.toml")
            .replace("id = \"closeness-reflection\"", "id = \"licensed-scale\"");
        std::fs::write(folder.join("good.toml"), good).unwrap();
        std::fs::write(folder.join("bad.toml"), "id = \"bad\"\ntitle = \"Bad\"\n[scale]\npoints = 1\n")
            .unwrap();
        let (all, problems) = load(dir.path());
        assert_eq!(all.len(), 2);
        assert!(all.iter().any(|i| i.id == "licensed-scale"));
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("bad.toml") && problems[0].contains("line"), "{problems:?}");
    }
}
