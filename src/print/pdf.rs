//! A small PDF 1.7 writer for the page model of `layout`: every face a document uses is
//! subset and embedded once (`Type0`/`CIDFontType2`, `Identity-H`) with a ToUnicode CMap, so
//! the text can be searched and copied; content streams are compressed; shared blocks
//! (borders, watermarks, repeated paragraphs) are Form XObjects drawn by reference; page
//! resources and size are inherited from the page tree. The output is deterministic: the
//! same document gives the same bytes. Writes bytes only; no files, no SQL.

use super::layout::{Align, Color, Document, Item, Measure, PT_PER_MM, QrMatrix, Text};
use super::subset::{self, SubsetError};
use crate::fonts::Face;
use flate2::Compression;
use flate2::write::ZlibEncoder;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write as _;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("字体中没有“{ch}”（U+{code:04X}）的字形：{text}", code = u32::from(*.ch))]
    MissingGlyph { ch: char, text: String },
    #[error("无法嵌入字体 {face}：{source}")]
    Font {
        face: &'static str,
        source: SubsetError,
    },
    #[error("生成 PDF 时出错：{0}")]
    Internal(String),
}

/// One embedded face: the glyphs used so far, renumbered in order of first use.
struct FontSlot {
    face: Face,
    /// Original glyph ids by new id; new id 0 is `.notdef`.
    glyphs: Vec<u16>,
    new_ids: HashMap<u16, u16>,
    /// The character each new id stands for (for the ToUnicode CMap).
    chars: Vec<char>,
}

impl FontSlot {
    fn new(face: Face) -> FontSlot {
        FontSlot {
            face,
            glyphs: vec![0],
            new_ids: HashMap::from([(0, 0)]),
            chars: vec!['\u{FFFD}'],
        }
    }

    fn id_for(&mut self, glyph: u16, c: char) -> u16 {
        if let Some(&id) = self.new_ids.get(&glyph) {
            return id;
        }
        let id = self.glyphs.len() as u16;
        self.glyphs.push(glyph);
        self.chars.push(c);
        self.new_ids.insert(glyph, id);
        id
    }
}

/// Appends a number with at most 2 decimals and no trailing zeros.
fn num(out: &mut Vec<u8>, value: f32) {
    let hundredths = (f64::from(value) * 100.0).round() as i64;
    let (sign, magnitude) = if hundredths < 0 {
        ("-", -hundredths)
    } else {
        ("", hundredths)
    };
    let (whole, fraction) = (magnitude / 100, magnitude % 100);
    let _ = match fraction {
        0 => write!(out, "{sign}{whole}"),
        f if f % 10 == 0 => write!(out, "{sign}{whole}.{}", f / 10),
        f => write!(out, "{sign}{whole}.{f:02}"),
    };
}

fn color_op(out: &mut Vec<u8>, color: Color, op: &str) {
    for channel in [color.0, color.1, color.2] {
        num(out, f32::from(channel) / 255.0);
        out.push(b' ');
    }
    out.extend_from_slice(op.as_bytes());
    out.push(b'\n');
}

/// Writes the drawing operators of pages and forms, mapping characters to embedded glyphs.
struct ContentWriter<'a> {
    measure: &'a mut Measure,
    slots: &'a mut Vec<FontSlot>,
    opacities: &'a mut Vec<f32>,
    page_height: f32,
}

/// What the current text state holds, to skip redundant operators.
/// Starts unknown: a form inherits whatever state the page had when it was drawn.
#[derive(Default)]
struct TextState {
    font: Option<(usize, u32)>,
    spacing: Option<f32>,
    fill: Option<Color>,
}

impl ContentWriter<'_> {
    fn slot(&mut self, face: Face) -> usize {
        match self.slots.iter().position(|s| s.face == face) {
            Some(i) => i,
            None => {
                self.slots.push(FontSlot::new(face));
                self.slots.len() - 1
            }
        }
    }

    fn y(&self, y_mm: f32) -> f32 {
        (self.page_height - y_mm) * PT_PER_MM
    }

    fn items(&mut self, out: &mut Vec<u8>, items: &[Item]) -> Result<(), PdfError> {
        let mut state = TextState::default();
        for item in items {
            match item {
                Item::Text(text) => self.text(out, text, &mut state)?,
                Item::Faint { opacity, text } => {
                    let index = match self
                        .opacities
                        .iter()
                        .position(|o| (o - opacity).abs() < 0.001)
                    {
                        Some(i) => i,
                        None => {
                            self.opacities.push(*opacity);
                            self.opacities.len() - 1
                        }
                    };
                    let _ = writeln!(out, "q /GS{index} gs");
                    self.text(out, text, &mut TextState::default())?;
                    out.extend_from_slice(b"Q\n");
                }
                Item::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                    color,
                } => {
                    color_op(out, *color, "RG");
                    num(out, width * PT_PER_MM);
                    out.extend_from_slice(b" w ");
                    for (x, y, op) in [(x1, y1, " m "), (x2, y2, " l S\n")] {
                        num(out, x * PT_PER_MM);
                        out.push(b' ');
                        num(out, self.y(*y));
                        out.extend_from_slice(op.as_bytes());
                    }
                }
                Item::Rect {
                    x,
                    y,
                    w,
                    h,
                    width,
                    color,
                } => {
                    let stroke = *width > 0.0;
                    if stroke {
                        color_op(out, *color, "RG");
                        num(out, width * PT_PER_MM);
                        out.extend_from_slice(b" w ");
                    } else {
                        color_op(out, *color, "rg");
                        state.fill = Some(*color);
                    }
                    for v in [x * PT_PER_MM, self.y(y + h), w * PT_PER_MM, h * PT_PER_MM] {
                        num(out, v);
                        out.push(b' ');
                    }
                    out.extend_from_slice(if stroke { b"re S\n" } else { b"re f\n" });
                }
                Item::Qr { x, y, size, code } => {
                    self.qr(out, *x, *y, *size, code);
                    state.fill = Some(Color::BLACK);
                }
                Item::Form(index) => {
                    let _ = writeln!(out, "/X{index} Do");
                }
            }
        }
        Ok(())
    }

    fn qr(&mut self, out: &mut Vec<u8>, x: f32, y: f32, size: f32, code: &QrMatrix) {
        out.extend_from_slice(b"q 0 g ");
        for v in [
            size * PT_PER_MM,
            0.0,
            0.0,
            size * PT_PER_MM,
            x * PT_PER_MM,
            self.y(y + size),
        ] {
            num(out, v);
            out.push(b' ');
        }
        let n = code.width;
        let _ = write!(out, "cm\nBI /W {n} /H {n} /IM true /D [1 0] /F /AHx ID\n");
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        for row in 0..n {
            for byte_start in (0..n).step_by(8) {
                let mut byte = 0u8;
                for bit in 0..8 {
                    if byte_start + bit < n && code.is_dark(row, byte_start + bit) {
                        byte |= 0x80 >> bit;
                    }
                }
                out.push(HEX[usize::from(byte >> 4)]);
                out.push(HEX[usize::from(byte & 15)]);
            }
        }
        out.extend_from_slice(b">\nEI Q\n");
    }

    fn text(
        &mut self,
        out: &mut Vec<u8>,
        text: &Text,
        state: &mut TextState,
    ) -> Result<(), PdfError> {
        if text.text.chars().all(|c| c.is_control()) {
            return Ok(());
        }
        // Resolve every glyph first so that a missing one is reported before anything is drawn.
        let mut runs: Vec<(usize, Vec<u16>)> = Vec::new();
        for c in text.text.chars().filter(|c| !c.is_control()) {
            let glyph =
                self.measure
                    .glyph(text.style, c)
                    .ok_or_else(|| PdfError::MissingGlyph {
                        ch: c,
                        text: text.text.clone(),
                    })?;
            let slot = self.slot(glyph.face);
            let id = self.slots[slot].id_for(glyph.id, c);
            match runs.last_mut() {
                Some((s, ids)) if *s == slot => ids.push(id),
                _ => runs.push((slot, vec![id])),
            }
        }
        let width = self.measure.text_width(text);
        let shift = match text.align {
            Align::Left => 0.0,
            Align::Center => -width / 2.0,
            Align::Right => -width,
        } * PT_PER_MM;
        let (sin, cos) = text.rotate.to_radians().sin_cos();
        let (ax, ay) = (text.x * PT_PER_MM, self.y(text.y));

        // Letter-spaced text (a title) reads back as spaced-out characters unless the actual
        // text is given: then copying and searching find `荣誉证书`, not `荣 誉 证 书`.
        let spaced = text.spacing.abs() > 0.5 && text.text.chars().count() > 1;
        if spaced {
            out.extend_from_slice(b"/Span <</ActualText <FEFF");
            for unit in text.text.encode_utf16() {
                let _ = write!(out, "{unit:04X}");
            }
            out.extend_from_slice(b">>> BDC\n");
        }
        out.extend_from_slice(b"BT\n");
        if state.fill != Some(text.color) {
            color_op(out, text.color, "rg");
            state.fill = Some(text.color);
        }
        let spacing = text.spacing * PT_PER_MM;
        if state
            .spacing
            .is_none_or(|current| (spacing - current).abs() > 0.001)
        {
            num(out, spacing);
            out.extend_from_slice(b" Tc\n");
            state.spacing = Some(spacing);
        }
        if text.rotate == 0.0 {
            out.extend_from_slice(b"1 0 0 1 ");
        } else {
            for v in [cos, sin, -sin, cos] {
                let _ = write!(out, "{v:.4} ");
            }
        }
        num(out, ax + shift * cos);
        out.push(b' ');
        num(out, ay + shift * sin);
        out.extend_from_slice(b" Tm\n");
        let size_key = (text.size * 100.0).round() as u32;
        for (slot, ids) in runs {
            if state.font != Some((slot, size_key)) {
                let _ = write!(out, "/F{slot} ");
                num(out, text.size);
                out.extend_from_slice(b" Tf\n");
                state.font = Some((slot, size_key));
            }
            out.push(b'<');
            for id in ids {
                let _ = write!(out, "{id:04X}");
            }
            out.extend_from_slice(b"> Tj\n");
        }
        out.extend_from_slice(b"ET\n");
        if spaced {
            out.extend_from_slice(b"EMC\n");
        }
        Ok(())
    }
}

fn deflate(data: &[u8]) -> Result<Vec<u8>, PdfError> {
    let mut encoder = ZlibEncoder::new(
        Vec::with_capacity(data.len() / 2 + 64),
        Compression::default(),
    );
    encoder
        .write_all(data)
        .map_err(|e| PdfError::Internal(e.to_string()))?;
    encoder
        .finish()
        .map_err(|e| PdfError::Internal(e.to_string()))
}

/// Compresses many streams, on as many threads as the machine has cores.
fn deflate_all(streams: &[Vec<u8>]) -> Result<Vec<Vec<u8>>, PdfError> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads <= 1 || streams.len() < 32 {
        return streams.iter().map(|s| deflate(s)).collect();
    }
    let chunk = streams.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = streams
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|s| deflate(s))
                        .collect::<Result<Vec<_>, _>>()
                })
            })
            .collect();
        let mut all = Vec::with_capacity(streams.len());
        for worker in workers {
            let part = worker
                .join()
                .map_err(|_| PdfError::Internal("压缩线程异常退出".into()))??;
            all.extend(part);
        }
        Ok(all)
    })
}

/// The PDF file being assembled: objects in order, with their offsets for the xref table.
struct Writer {
    out: Vec<u8>,
    offsets: Vec<usize>,
}

impl Writer {
    fn begin(&mut self, id: usize) {
        if self.offsets.len() < id + 1 {
            self.offsets.resize(id + 1, 0);
        }
        self.offsets[id] = self.out.len();
        let _ = writeln!(self.out, "{id} 0 obj");
    }

    fn object(&mut self, id: usize, body: &str) {
        self.begin(id);
        self.out.extend_from_slice(body.as_bytes());
        self.out.extend_from_slice(b"\nendobj\n");
    }

    /// A compressed stream; `extra` goes into its dictionary.
    fn stream(&mut self, id: usize, extra: &str, compressed: &[u8]) {
        self.begin(id);
        let _ = write!(
            self.out,
            "<<{extra}/Filter/FlateDecode/Length {}>>\nstream\n",
            compressed.len()
        );
        self.out.extend_from_slice(compressed);
        self.out.extend_from_slice(b"\nendstream\nendobj\n");
    }
}

/// A PDF text string: UTF-16BE with a byte order mark, in hex.
fn text_string(text: &str) -> String {
    let mut hex = String::from("<FEFF");
    for unit in text.encode_utf16() {
        let _ = write!(hex, "{unit:04X}");
    }
    hex.push('>');
    hex
}

fn to_unicode_cmap(chars: &[char]) -> Vec<u8> {
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(usize, char)> = chars.iter().copied().enumerate().skip(1).collect();
    for block in entries.chunks(100) {
        let _ = writeln!(cmap, "{} beginbfchar", block.len());
        for (id, c) in block {
            let _ = write!(cmap, "<{id:04X}> <");
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(cmap, "{unit:04X}");
            }
            cmap.push_str(">\n");
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    cmap.into_bytes()
}

/// `/W` entries for glyphs whose width differs from the default 1000.
fn widths(face: &ttf_parser::Face<'_>, glyphs: &[u16]) -> String {
    let units = f32::from(face.units_per_em().max(1));
    let mut w = String::from("[");
    let mut run_open = false;
    let mut previous: Option<usize> = None;
    for (new, &old) in glyphs.iter().enumerate() {
        let advance = face
            .glyph_hor_advance(ttf_parser::GlyphId(old))
            .unwrap_or(0);
        let width = (f32::from(advance) * 1000.0 / units).round() as i32;
        if width == 1000 {
            continue;
        }
        if previous.is_some_and(|p| p + 1 == new) && run_open {
            let _ = write!(w, " {width}");
        } else {
            if run_open {
                w.push(']');
            }
            let _ = write!(w, "{new}[{width}");
            run_open = true;
        }
        previous = Some(new);
    }
    if run_open {
        w.push(']');
    }
    w.push(']');
    w
}

/// Six capital letters naming a subset, from a hash of its glyphs (deterministic).
fn subset_tag(face: Face, glyphs: &[u16]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(face.name().as_bytes());
    for g in glyphs {
        hasher.update(g.to_be_bytes());
    }
    hasher
        .finalize()
        .iter()
        .take(6)
        .map(|b| char::from(b'A' + b % 26))
        .collect()
}

/// Writes `doc` as a PDF. `progress(done, total)` is called as pages are laid down.
pub fn write(doc: &Document, progress: &mut dyn FnMut(usize, usize)) -> Result<Vec<u8>, PdfError> {
    let mut measure = Measure::new();
    let mut slots: Vec<FontSlot> = Vec::new();
    let mut opacities: Vec<f32> = Vec::new();
    let mut writer = ContentWriter {
        measure: &mut measure,
        slots: &mut slots,
        opacities: &mut opacities,
        page_height: doc.height,
    };

    let mut streams: Vec<Vec<u8>> = Vec::with_capacity(doc.forms.len() + doc.pages.len());
    for form in &doc.forms {
        let mut out = Vec::new();
        writer.items(&mut out, form)?;
        streams.push(out);
    }
    let total = doc.pages.len();
    for (i, page) in doc.pages.iter().enumerate() {
        let mut out = Vec::with_capacity(1024);
        writer.items(&mut out, &page.items)?;
        streams.push(out);
        progress(i + 1, total);
    }
    let compressed = deflate_all(&streams)?;
    drop(streams);

    // Object numbers: 1 catalog, 2 page tree, 3 resources, 4 info, then 5 per font,
    // then one per form, then two per page.
    let fonts = measure.fonts();
    let font_base = 5;
    let form_base = font_base + 5 * slots.len();
    let page_base = form_base + doc.forms.len();
    let object_count = page_base + 2 * doc.pages.len();

    let mut pdf = Writer {
        out: Vec::with_capacity(compressed.iter().map(|c| c.len() + 120).sum::<usize>() + 4096),
        offsets: vec![0; object_count],
    };
    pdf.out.extend_from_slice(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
    pdf.object(
        1,
        "<</Type/Catalog/Pages 2 0 R/Lang(zh-CN)/ViewerPreferences<</DisplayDocTitle true>>>>",
    );
    let (w, h) = (doc.width * PT_PER_MM, doc.height * PT_PER_MM);
    let mut media = Vec::new();
    num(&mut media, w);
    media.push(b' ');
    num(&mut media, h);
    let media = String::from_utf8_lossy(&media).into_owned();
    let mut kids = String::with_capacity(doc.pages.len() * 10);
    for i in 0..doc.pages.len() {
        let _ = write!(kids, "{} 0 R ", page_base + 2 * i);
    }
    pdf.object(
        2,
        &format!(
            "<</Type/Pages/Kids[{}]/Count {}/MediaBox[0 0 {media}]/Resources 3 0 R>>",
            kids.trim_end(),
            doc.pages.len()
        ),
    );

    let mut resources = String::from("<</ProcSet[/PDF/Text/ImageB]");
    if !slots.is_empty() {
        resources.push_str("/Font<<");
        for i in 0..slots.len() {
            let _ = write!(resources, "/F{i} {} 0 R", font_base + 5 * i);
        }
        resources.push_str(">>");
    }
    if !doc.forms.is_empty() {
        resources.push_str("/XObject<<");
        for i in 0..doc.forms.len() {
            let _ = write!(resources, "/X{i} {} 0 R", form_base + i);
        }
        resources.push_str(">>");
    }
    if !opacities.is_empty() {
        resources.push_str("/ExtGState<<");
        for (i, o) in opacities.iter().enumerate() {
            let _ = write!(resources, "/GS{i}<</ca {o:.2}/CA {o:.2}>>");
        }
        resources.push_str(">>");
    }
    resources.push_str(">>");
    pdf.object(3, &resources);
    pdf.object(
        4,
        &format!(
            "<</Title {}/Producer(judgedesk)/Creator(judgedesk)>>",
            text_string(&doc.title)
        ),
    );

    for (i, slot) in slots.iter().enumerate() {
        let id = font_base + 5 * i;
        let face = fonts.face(slot.face).ok_or(PdfError::Font {
            face: slot.face.name(),
            source: SubsetError::Unparsable,
        })?;
        let program =
            subset::subset(slot.face.bytes(), &slot.glyphs).map_err(|source| PdfError::Font {
                face: slot.face.name(),
                source,
            })?;
        let name = format!(
            "{}+{}",
            subset_tag(slot.face, &slot.glyphs),
            slot.face.name()
        );
        let scale = 1000.0 / f32::from(face.units_per_em().max(1));
        let em = |v: i16| (f32::from(v) * scale).round() as i32;
        let bbox = face.global_bounding_box();
        let serif = matches!(slot.face, Face::Serif | Face::SerifBold);
        pdf.object(
            id,
            &format!("<</Type/Font/Subtype/Type0/BaseFont/{name}/Encoding/Identity-H/DescendantFonts[{} 0 R]/ToUnicode {} 0 R>>", id + 1, id + 4),
        );
        pdf.object(
            id + 1,
            &format!(
                "<</Type/Font/Subtype/CIDFontType2/BaseFont/{name}/CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)/Supplement 0>>/FontDescriptor {} 0 R/DW 1000/W{}/CIDToGIDMap/Identity>>",
                id + 2,
                widths(face, &program.glyphs)
            ),
        );
        pdf.object(
            id + 2,
            &format!(
                "<</Type/FontDescriptor/FontName/{name}/Flags {}/FontBBox[{} {} {} {}]/ItalicAngle 0/Ascent {}/Descent {}/CapHeight {}/StemV 80/FontFile2 {} 0 R>>",
                if serif { 6 } else { 4 },
                em(bbox.x_min),
                em(bbox.y_min),
                em(bbox.x_max),
                em(bbox.y_max),
                em(face.ascender()),
                em(face.descender()),
                em(face.capital_height().unwrap_or(face.ascender())),
                id + 3
            ),
        );
        pdf.stream(
            id + 3,
            &format!("/Length1 {}", program.bytes.len()),
            &deflate(&program.bytes)?,
        );
        pdf.stream(id + 4, "", &deflate(&to_unicode_cmap(&slot.chars))?);
    }

    let bbox = format!("/BBox[0 0 {media}]");
    for (i, content) in compressed.iter().take(doc.forms.len()).enumerate() {
        pdf.stream(
            form_base + i,
            &format!("/Type/XObject/Subtype/Form{bbox}/Resources 3 0 R"),
            content,
        );
    }
    for (i, content) in compressed.iter().skip(doc.forms.len()).enumerate() {
        let id = page_base + 2 * i;
        pdf.object(
            id,
            &format!("<</Type/Page/Parent 2 0 R/Contents {} 0 R>>", id + 1),
        );
        pdf.stream(id + 1, "", content);
    }

    let xref = pdf.out.len();
    let _ = write!(pdf.out, "xref\n0 {object_count}\n0000000000 65535 f \n");
    for offset in pdf.offsets.iter().skip(1) {
        let _ = writeln!(pdf.out, "{offset:010} 00000 n ");
    }
    let digest = Sha256::digest(&pdf.out);
    let file_id: String = digest.iter().take(16).map(|b| format!("{b:02X}")).collect();
    let _ = write!(
        pdf.out,
        "trailer\n<</Size {object_count}/Root 1 0 R/Info 4 0 R/ID[<{file_id}><{file_id}>]>>\nstartxref\n{xref}\n%%EOF\n"
    );
    Ok(pdf.out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::layout::{Page, Style};

    #[test]
    fn numbers_are_short() {
        let mut out = Vec::new();
        for v in [0.0, 1.5, -2.25, 100.0, 0.004, 12.345] {
            num(&mut out, v);
            out.push(b' ');
        }
        assert_eq!(String::from_utf8_lossy(&out), "0 1.5 -2.25 100 0 12.35 ");
    }

    #[test]
    fn to_unicode_maps_extension_b_to_a_surrogate_pair() {
        let cmap = String::from_utf8_lossy(&to_unicode_cmap(&['\u{FFFD}', '张', '\u{201D4}']))
            .into_owned();
        assert!(cmap.contains("<0001> <5F20>"), "{cmap}");
        assert!(cmap.contains("<0002> <D840DDD4>"), "{cmap}");
    }

    #[test]
    fn a_missing_glyph_is_an_error_not_a_box() {
        let mut doc = Document::new("t", 100.0, 100.0);
        doc.pages.push(Page {
            items: vec![Item::Text(Text::new(
                10.0,
                10.0,
                12.0,
                Style::Serif,
                "张\u{E000}",
            ))],
        });
        match write(&doc, &mut |_, _| {}) {
            Err(PdfError::MissingGlyph { ch, .. }) => assert_eq!(ch, '\u{E000}'),
            other => panic!("expected a missing glyph, got {:?}", other.map(|b| b.len())),
        }
    }

    #[test]
    fn output_is_deterministic_and_well_formed() {
        let mut doc = Document::new("测试", 210.0, 297.0);
        let border = doc.shared("border", || {
            vec![Item::Rect {
                x: 10.0,
                y: 10.0,
                w: 190.0,
                h: 277.0,
                width: 1.0,
                color: Color::SEAL_RED,
            }]
        });
        for name in ["张三", "李𠇔"] {
            doc.pages.push(Page {
                items: vec![
                    border.clone(),
                    Item::Text(Text::new(20.0, 30.0, 16.0, Style::Serif, name)),
                ],
            });
        }
        let a = write(&doc, &mut |_, _| {}).unwrap_or_else(|e| panic!("{e}"));
        let b = write(&doc, &mut |_, _| {}).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a, b);
        assert!(a.starts_with(b"%PDF-1.7"));
        assert!(a.ends_with(b"%%EOF\n"));
        let text = String::from_utf8_lossy(&a);
        assert_eq!(
            text.matches("/Subtype/Type0").count(),
            2,
            "serif and the fallback for 𠇔"
        );
        assert_eq!(text.matches("/Type/Page/").count(), 2);
    }
}

#[cfg(test)]
mod actual_text_tests {
    use super::*;
    use crate::print::layout::{Page, Style};
    use std::io::Read;

    /// Every content stream of a written PDF, inflated.
    fn contents(pdf: &[u8]) -> String {
        let mut all = String::new();
        let mut rest = pdf;
        while let Some(start) = find(rest, b"stream\n") {
            let body = &rest[start + 7..];
            let Some(end) = find(body, b"\nendstream") else {
                break;
            };
            let mut inflated = Vec::new();
            if flate2::read::ZlibDecoder::new(&body[..end])
                .read_to_end(&mut inflated)
                .is_ok()
            {
                all.push_str(&String::from_utf8_lossy(&inflated));
            }
            rest = &body[end + b"\nendstream".len()..];
        }
        all
    }

    fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
        haystack.windows(needle.len()).position(|w| w == needle)
    }

    #[test]
    fn a_letter_spaced_title_carries_its_actual_text_so_it_is_found_unspaced() {
        let mut doc = Document::new("t", 297.0, 210.0);
        doc.pages.push(Page {
            items: vec![
                Item::Text(Text::new(148.0, 40.0, 30.0, Style::SerifBold, "荣誉证书").spacing(8.0)),
                Item::Text(Text::new(20.0, 80.0, 12.0, Style::Serif, "王华淼 同志：")),
            ],
        });
        let pdf = write(&doc, &mut |_, _| {}).unwrap_or_default();
        let text = contents(&pdf);
        assert!(
            text.contains("/Span <</ActualText <FEFF83638A898BC14E66>>> BDC"),
            "no actual text in the page's content"
        );
        assert_eq!(text.matches("BDC").count(), 1, "unspaced text needs none");
        assert_eq!(text.matches("BDC").count(), text.matches("EMC").count());
    }
}
