//! TrueType (`glyf`) subsetting for PDF embedding: keeps only the glyphs a document draws,
//! renumbered in the order given, with the tables a PDF `FontFile2` needs (head, hhea, maxp,
//! hmtx, loca, glyf, post and any hinting tables). No cmap or name table: a PDF addresses
//! glyphs by id and names the font itself. Pure: bytes in, bytes out.

use ttf_parser::{RawFace, Tag};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubsetError {
    #[error("字体文件无法解析")]
    Unparsable,
    #[error("字体缺少 {0} 表")]
    MissingTable(&'static str),
    #[error("字体的 {0} 表已损坏")]
    Corrupt(&'static str),
    #[error("只支持 TrueType 轮廓（glyf）字体")]
    NotTrueType,
}

/// A subset font program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subset {
    pub bytes: Vec<u8>,
    /// Glyph ids of the original font, in the order of the subset's glyph ids. Starts with the
    /// requested glyphs; components of composite glyphs that were not requested follow.
    pub glyphs: Vec<u16>,
}

fn u16_at(data: &[u8], offset: usize) -> Option<u16> {
    Some(u16::from_be_bytes([
        *data.get(offset)?,
        *data.get(offset + 1)?,
    ]))
}

fn u32_at(data: &[u8], offset: usize) -> Option<u32> {
    Some(u32::from_be_bytes([
        *data.get(offset)?,
        *data.get(offset + 1)?,
        *data.get(offset + 2)?,
        *data.get(offset + 3)?,
    ]))
}

fn put_u16(data: &mut [u8], offset: usize, value: u16) {
    if let Some(slot) = data.get_mut(offset..offset + 2) {
        slot.copy_from_slice(&value.to_be_bytes());
    }
}

fn put_u32(data: &mut [u8], offset: usize, value: u32) {
    if let Some(slot) = data.get_mut(offset..offset + 4) {
        slot.copy_from_slice(&value.to_be_bytes());
    }
}

const ARG_1_AND_2_ARE_WORDS: u16 = 0x0001;
const WE_HAVE_A_SCALE: u16 = 0x0008;
const MORE_COMPONENTS: u16 = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE: u16 = 0x0040;
const WE_HAVE_A_TWO_BY_TWO: u16 = 0x0080;

/// The offsets of the glyph index field of each component of a composite glyph.
fn component_offsets(glyph: &[u8]) -> Result<Vec<usize>, SubsetError> {
    let mut offsets = Vec::new();
    let mut at = 10;
    loop {
        let flags = u16_at(glyph, at).ok_or(SubsetError::Corrupt("glyf"))?;
        offsets.push(at + 2);
        at += 4;
        at += if flags & ARG_1_AND_2_ARE_WORDS != 0 {
            4
        } else {
            2
        };
        if flags & WE_HAVE_A_SCALE != 0 {
            at += 2;
        } else if flags & WE_HAVE_AN_X_AND_Y_SCALE != 0 {
            at += 4;
        } else if flags & WE_HAVE_A_TWO_BY_TWO != 0 {
            at += 8;
        }
        if flags & MORE_COMPONENTS == 0 {
            return Ok(offsets);
        }
    }
}

struct Source<'a> {
    head: &'a [u8],
    hhea: &'a [u8],
    maxp: &'a [u8],
    hmtx: &'a [u8],
    loca: &'a [u8],
    glyf: &'a [u8],
    long_loca: bool,
    num_glyphs: u16,
    num_h_metrics: u16,
}

impl<'a> Source<'a> {
    fn read(raw: &RawFace<'a>) -> Result<Source<'a>, SubsetError> {
        let table = |tag: &[u8; 4], name: &'static str| {
            raw.table(Tag::from_bytes(tag))
                .ok_or(SubsetError::MissingTable(name))
        };
        if raw.table(Tag::from_bytes(b"glyf")).is_none() {
            return Err(SubsetError::NotTrueType);
        }
        let head = table(b"head", "head")?;
        let hhea = table(b"hhea", "hhea")?;
        let maxp = table(b"maxp", "maxp")?;
        let long_loca = u16_at(head, 50).ok_or(SubsetError::Corrupt("head"))? == 1;
        let num_glyphs = u16_at(maxp, 4).ok_or(SubsetError::Corrupt("maxp"))?;
        let num_h_metrics = u16_at(hhea, 34).ok_or(SubsetError::Corrupt("hhea"))?.max(1);
        Ok(Source {
            head,
            hhea,
            maxp,
            hmtx: table(b"hmtx", "hmtx")?,
            loca: table(b"loca", "loca")?,
            glyf: table(b"glyf", "glyf")?,
            long_loca,
            num_glyphs,
            num_h_metrics,
        })
    }

    fn glyph(&self, id: u16) -> Result<&'a [u8], SubsetError> {
        if id >= self.num_glyphs {
            return Err(SubsetError::Corrupt("loca"));
        }
        let i = usize::from(id);
        let (start, end) = if self.long_loca {
            (u32_at(self.loca, i * 4), u32_at(self.loca, i * 4 + 4))
        } else {
            (
                u16_at(self.loca, i * 2).map(|v| u32::from(v) * 2),
                u16_at(self.loca, i * 2 + 2).map(|v| u32::from(v) * 2),
            )
        };
        let (Some(start), Some(end)) = (start, end) else {
            return Err(SubsetError::Corrupt("loca"));
        };
        self.glyf
            .get(start as usize..end as usize)
            .ok_or(SubsetError::Corrupt("glyf"))
    }

    /// Advance width and left side bearing.
    fn metrics(&self, id: u16) -> (u16, u16) {
        let long = self.num_h_metrics.min(self.num_glyphs.max(1));
        if id < long {
            let at = usize::from(id) * 4;
            (
                u16_at(self.hmtx, at).unwrap_or(0),
                u16_at(self.hmtx, at + 2).unwrap_or(0),
            )
        } else {
            let advance = u16_at(self.hmtx, usize::from(long - 1) * 4).unwrap_or(0);
            let at = usize::from(long) * 4 + usize::from(id - long) * 2;
            (advance, u16_at(self.hmtx, at).unwrap_or(0))
        }
    }
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// Builds a font holding `glyphs` (original ids; the first should be 0, `.notdef`), renumbered
/// 0, 1, 2… in that order. Components of composite glyphs are added after them.
pub fn subset(font: &[u8], glyphs: &[u16]) -> Result<Subset, SubsetError> {
    let raw = RawFace::parse(font, 0).map_err(|_| SubsetError::Unparsable)?;
    let source = Source::read(&raw)?;

    let mut order: Vec<u16> = Vec::with_capacity(glyphs.len() + 1);
    let mut new_id: std::collections::HashMap<u16, u16> =
        std::collections::HashMap::with_capacity(glyphs.len() + 1);
    for &g in glyphs {
        if !new_id.contains_key(&g) && g < source.num_glyphs {
            new_id.insert(g, order.len() as u16);
            order.push(g);
        }
    }
    // Close over composite components (a component may itself be composite).
    let mut i = 0;
    while i < order.len() {
        let data = source.glyph(order[i])?;
        if data.len() >= 10 && (u16_at(data, 0).unwrap_or(0) as i16) < 0 {
            for at in component_offsets(data)? {
                let component = u16_at(data, at).ok_or(SubsetError::Corrupt("glyf"))?;
                if component < source.num_glyphs && !new_id.contains_key(&component) {
                    new_id.insert(component, order.len() as u16);
                    order.push(component);
                }
            }
        }
        i += 1;
    }

    let count = order.len();
    let mut glyf = Vec::new();
    let mut loca = Vec::with_capacity((count + 1) * 4);
    let mut hmtx = Vec::with_capacity(count * 4);
    for &old in &order {
        loca.extend_from_slice(&(glyf.len() as u32).to_be_bytes());
        let data = source.glyph(old)?;
        let start = glyf.len();
        glyf.extend_from_slice(data);
        if data.len() >= 10 && (u16_at(data, 0).unwrap_or(0) as i16) < 0 {
            for at in component_offsets(data)? {
                let component = u16_at(data, at).unwrap_or(0);
                put_u16(
                    &mut glyf[start..],
                    at,
                    new_id.get(&component).copied().unwrap_or(0),
                );
            }
        }
        while glyf.len() % 4 != 0 {
            glyf.push(0);
        }
        let (advance, lsb) = source.metrics(old);
        hmtx.extend_from_slice(&advance.to_be_bytes());
        hmtx.extend_from_slice(&lsb.to_be_bytes());
    }
    loca.extend_from_slice(&(glyf.len() as u32).to_be_bytes());

    let mut head = source.head.to_vec();
    put_u32(&mut head, 8, 0);
    put_u16(&mut head, 50, 1);
    let mut hhea = source.hhea.to_vec();
    put_u16(&mut hhea, 34, count as u16);
    let mut maxp = source.maxp.to_vec();
    put_u16(&mut maxp, 4, count as u16);
    let mut post = raw
        .table(Tag::from_bytes(b"post"))
        .map(|p| p.get(..32).unwrap_or(p).to_vec())
        .unwrap_or_else(|| vec![0; 32]);
    post.resize(32, 0);
    put_u32(&mut post, 0, 0x0003_0000);

    let mut tables: Vec<([u8; 4], Vec<u8>)> = vec![
        (*b"glyf", glyf),
        (*b"head", head),
        (*b"hhea", hhea),
        (*b"hmtx", hmtx),
        (*b"loca", loca),
        (*b"maxp", maxp),
        (*b"post", post),
    ];
    for tag in [b"cvt ", b"fpgm", b"prep"] {
        if let Some(data) = raw.table(Tag::from_bytes(tag)) {
            tables.push((*tag, data.to_vec()));
        }
    }
    tables.sort_by_key(|t| t.0);

    let num_tables = tables.len() as u16;
    let entry_selector = 15 - num_tables.leading_zeros() as u16;
    let search_range = (1u16 << entry_selector) * 16;
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    out.extend_from_slice(&num_tables.to_be_bytes());
    out.extend_from_slice(&search_range.to_be_bytes());
    out.extend_from_slice(&entry_selector.to_be_bytes());
    out.extend_from_slice(&(num_tables * 16 - search_range).to_be_bytes());
    let mut offset = 12 + 16 * tables.len();
    let mut head_offset = 0;
    for (tag, data) in &tables {
        if tag == b"head" {
            head_offset = offset;
        }
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().div_ceil(4) * 4;
    }
    for (_, data) in &tables {
        out.extend_from_slice(data);
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
    put_u32(&mut out, head_offset + 8, adjustment);
    Ok(Subset {
        bytes: out,
        glyphs: order,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::Face;

    fn glyph_id(face: &ttf_parser::Face<'_>, c: char) -> u16 {
        face.glyph_index(c).map_or(0, |g| g.0)
    }

    #[test]
    fn subset_keeps_the_requested_glyphs_renumbered_with_their_outlines_and_widths() {
        let bytes = Face::Serif.bytes();
        let original = ttf_parser::Face::parse(bytes, 0).unwrap_or_else(|e| panic!("{e}"));
        let wanted: Vec<u16> = std::iter::once(0)
            .chain("荣誉证书203".chars().map(|c| glyph_id(&original, c)))
            .collect();
        let subset = subset(bytes, &wanted).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            subset.bytes.len() < 20_000,
            "subset is {} bytes",
            subset.bytes.len()
        );
        let small = ttf_parser::Face::parse(&subset.bytes, 0).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(usize::from(small.number_of_glyphs()), subset.glyphs.len());
        for (new, &old) in wanted.iter().enumerate() {
            let (old, new) = (ttf_parser::GlyphId(old), ttf_parser::GlyphId(new as u16));
            assert_eq!(
                small.glyph_hor_advance(new),
                original.glyph_hor_advance(old)
            );
            assert_eq!(
                small.glyph_bounding_box(new),
                original.glyph_bounding_box(old)
            );
        }
        assert_eq!(checksum(&subset.bytes), 0xB1B0_AFBA, "whole-font checksum");
    }

    #[test]
    fn garbage_is_refused_not_panicked_on() {
        assert_eq!(subset(b"not a font", &[0]), Err(SubsetError::Unparsable));
    }
}
