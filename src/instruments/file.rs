//! An instrument's TOML file: read, checked item by item, and refused with
//! the line it points at.

use std::collections::HashSet;

use serde::Deserialize;
use toml::Spanned;

use super::{Dimension, Instrument, Item, Region};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInstrument {
    id: String,
    title: String,
    description: String,
    attribution: String,
    licence: String,
    scale: RawScale,
    dimensions: Vec<RawDimension>,
    items: Vec<RawItem>,
    #[serde(default)]
    regions: Vec<RawRegion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScale {
    points: Spanned<i64>,
    labels: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDimension {
    id: Spanned<String>,
    title: String,
    reliability: Option<Spanned<f64>>,
    sd: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: Spanned<String>,
    text: String,
    dimension: Spanned<String>,
    #[serde(default)]
    reverse: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegion {
    first: Spanned<String>,
    second: Spanned<String>,
    title: String,
    text: String,
    read_next: Option<String>,
}

/// Why a file was refused, with the line it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstrumentError {
    pub line: usize,
    pub reason: String,
}

impl std::fmt::Display for InstrumentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Parse and check an instrument file.
pub fn parse(text: &str) -> Result<Instrument, InstrumentError> {
    let raw: RawInstrument = toml::from_str(text).map_err(|e| InstrumentError {
        line: e.span().map_or(1, |s| line_of(text, s.start)),
        reason: e.message().to_owned(),
    })?;
    let at = |span: std::ops::Range<usize>, reason: String| InstrumentError {
        line: line_of(text, span.start),
        reason,
    };

    let points = *raw.scale.points.get_ref();
    if !(2..=11).contains(&points) {
        return Err(at(raw.scale.points.span(), format!("a scale needs 2 to 11 points, not {points}")));
    }
    if raw.scale.labels.len() != points as usize {
        return Err(at(
            raw.scale.points.span(),
            format!("the scale has {points} points but {} labels", raw.scale.labels.len()),
        ));
    }
    if raw.id.is_empty() || !raw.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(InstrumentError {
            line: 1,
            reason: "the id must be lowercase letters, digits and hyphens".into(),
        });
    }
    if raw.dimensions.is_empty() {
        return Err(InstrumentError { line: 1, reason: "an instrument needs at least one dimension".into() });
    }
    let mut dimension_ids = HashSet::new();
    let mut dimensions = Vec::new();
    for d in raw.dimensions {
        if !dimension_ids.insert(d.id.get_ref().clone()) {
            return Err(at(d.id.span(), format!("dimension `{}` is defined twice", d.id.get_ref())));
        }
        if let Some(r) = &d.reliability
            && !(0.0..1.0).contains(r.get_ref())
        {
            return Err(at(r.span(), "reliability must be at least 0 and below 1".into()));
        }
        if let Some(sd) = &d.sd
            && *sd.get_ref() <= 0.0
        {
            return Err(at(sd.span(), "the standard deviation must be above 0".into()));
        }
        dimensions.push(Dimension {
            id: d.id.into_inner(),
            title: d.title,
            reliability: d.reliability.map(Spanned::into_inner),
            sd: d.sd.map(Spanned::into_inner),
        });
    }
    let mut item_ids = HashSet::new();
    let mut items = Vec::new();
    for i in raw.items {
        if !item_ids.insert(i.id.get_ref().clone()) {
            return Err(at(i.id.span(), format!("item id `{}` is used twice", i.id.get_ref())));
        }
        if !dimension_ids.contains(i.dimension.get_ref()) {
            return Err(at(
                i.dimension.span(),
                format!("item `{}` names an unknown dimension `{}`", i.id.get_ref(), i.dimension.get_ref()),
            ));
        }
        items.push(Item {
            id: i.id.into_inner(),
            text: i.text,
            dimension: i.dimension.into_inner(),
            reverse: i.reverse,
        });
    }
    for d in &dimensions {
        if !items.iter().any(|i| i.dimension == d.id) {
            return Err(InstrumentError { line: 1, reason: format!("dimension `{}` has no items", d.id) });
        }
    }
    let mut regions = Vec::new();
    for r in raw.regions {
        for side in [&r.first, &r.second] {
            if side.get_ref() != "low" && side.get_ref() != "high" {
                return Err(at(side.span(), "a region is \"low\" or \"high\" on each dimension".into()));
            }
        }
        regions.push(Region {
            first: r.first.into_inner(),
            second: r.second.into_inner(),
            title: r.title,
            text: r.text,
            read_next: r.read_next,
        });
    }
    Ok(Instrument {
        id: raw.id,
        title: raw.title,
        description: raw.description,
        attribution: raw.attribution,
        licence: raw.licence,
        points: points as u8,
        labels: raw.scale.labels,
        dimensions,
        items,
        regions,
    })
}
