//! Writes the page model of `layout` as a PDF through printpdf.
//!
//! * Text: every face a document uses is subset by allsorts (the subsetter printpdf itself is
//!   built on) to the glyphs the document draws, and handed to printpdf as the font, which
//!   embeds it once (`Type0`/`CIDFontType2`, `Identity-H`) with its widths and a ToUnicode
//!   CMap, so text can be searched and copied. Glyphs are resolved before anything is drawn:
//!   a character no bundled face has refuses the document ([`PdfError::MissingGlyph`]); rare
//!   characters come from the fallback face of their style (`layout::Style::faces`).
//! * Letter-spaced text (the title 荣誉证书) carries its `/ActualText`, so it copies as one word.
//! * Shared blocks (borders, watermarks, repeated paragraphs) are Form XObjects, QR codes
//!   image masks, faint text a transparency graphics state.
//! * Metadata: title, author, creation date; the output is otherwise deterministic.
//!
//! printpdf has no operation for a Form XObject made of its own operations, so each shared
//! block is laid out by printpdf as a page of its own, and the lopdf document printpdf
//! produces (`printpdf::to_lopdf_doc`) is then rearranged: those pages become Form XObjects,
//! the pages share one resource dictionary, and the file is saved with object and
//! cross-reference streams. Bytes only; no files, no SQL.
//!
//! One file: gathering the glyphs, turning items into operations and rearranging printpdf's
//! output are the steps of one write and share its resource names (`F`n fonts, `X`n forms,
//! `Q`n QR codes, `GS`n graphics states).

use super::layout::{Align, Color, Document, Item, Measure, PT_PER_MM, QrMatrix, Text};
use crate::fonts::Face;
use lopdf::{Dictionary, Object, ObjectId};
use printpdf::{
    Codepoint, DictItem, ExtendedGraphicsState, ExtendedGraphicsStateId, ExternalStream,
    ExternalXObject, FontId, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFont,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem, TextMatrix,
    TextRenderingMode, XObject, XObjectId, XObjectTransform,
};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("字体中没有“{ch}”（U+{code:04X}）的字形：{text}", code = u32::from(*.ch))]
    MissingGlyph { ch: char, text: String },
    #[error("无法嵌入字体 {face}：{message}")]
    Font { face: &'static str, message: String },
    #[error("生成 PDF 时出错：{0}")]
    Internal(String),
}

/// The glyphs a document draws from one face: original glyph id → the character it stands for.
struct FaceUse {
    face: Face,
    glyphs: BTreeMap<u16, char>,
    /// Original glyph id → glyph id in the subset (its position in the subset's glyph list).
    new_ids: HashMap<u16, u16>,
}

/// Rounds to hundredths: positions in points need no more, and short numbers keep pages small.
/// The outline width, per point of type size, that makes a regular glyph about as heavy as the
/// bold face beside it.
const EMBOLDEN_PER_PT: f32 = 0.035;

fn r(value: f32) -> f32 {
    (value * 100.0).round() / 100.0
}

fn rgb(color: Color) -> printpdf::Color {
    let channel = |c: u8| r(f32::from(c) / 255.0);
    printpdf::Color::Rgb(Rgb {
        r: channel(color.0),
        g: channel(color.1),
        b: channel(color.2),
        icc_profile: None,
    })
}

/// PDF text string bytes: UTF-16BE with a byte order mark.
fn utf16_be(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    bytes
}

/// Six capital letters naming a subset, from a hash of its glyphs (deterministic).
fn subset_tag(face: Face, glyphs: &BTreeMap<u16, char>) -> String {
    let mut hasher = Sha256::new();
    hasher.update(face.name().as_bytes());
    for g in glyphs.keys() {
        hasher.update(g.to_be_bytes());
    }
    hasher
        .finalize()
        .iter()
        .take(6)
        .map(|b| char::from(b'A' + b % 26))
        .collect()
}

/// Subsets `face` to `glyphs` (glyph 0 first, then in ascending order) with allsorts.
fn subset(face: Face, glyphs: &BTreeMap<u16, char>) -> Result<Vec<u8>, PdfError> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{CmapTarget, SubsetProfile};
    let fail = |message: String| PdfError::Font {
        face: face.name(),
        message,
    };
    let font = ReadScope::new(face.bytes())
        .read::<FontData<'_>>()
        .map_err(|e| fail(e.to_string()))?;
    let provider = font.table_provider(0).map_err(|e| fail(e.to_string()))?;
    let ids: Vec<u16> = std::iter::once(0)
        .chain(glyphs.keys().copied().filter(|&g| g != 0))
        .collect();
    allsorts::subset::subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode)
        .map_err(|e| fail(e.to_string()))
}

/// Every glyph the document draws, face by face, in the order faces are first used; a
/// character no face of its style has is an error naming it and its text.
fn gather_glyphs(doc: &Document, measure: &mut Measure) -> Result<Vec<FaceUse>, PdfError> {
    let mut uses: Vec<FaceUse> = Vec::new();
    for text in doc.texts() {
        for c in text.text.chars().filter(|c| !c.is_control()) {
            let glyph = measure
                .glyph(text.style, c)
                .ok_or_else(|| PdfError::MissingGlyph {
                    ch: c,
                    text: text.text.clone(),
                })?;
            let slot = match uses.iter().position(|u| u.face == glyph.face) {
                Some(i) => i,
                None => {
                    uses.push(FaceUse {
                        face: glyph.face,
                        glyphs: BTreeMap::new(),
                        new_ids: HashMap::new(),
                    });
                    uses.len() - 1
                }
            };
            uses[slot].glyphs.entry(glyph.id).or_insert(c);
        }
    }
    for u in &mut uses {
        u.new_ids = u
            .glyphs
            .keys()
            .copied()
            .filter(|&g| g != 0)
            .enumerate()
            .map(|(i, g)| (g, (i + 1) as u16))
            .collect();
    }
    Ok(uses)
}

fn font_id(slot: usize) -> FontId {
    FontId(format!("F{slot}"))
}

fn form_id(index: usize) -> XObjectId {
    XObjectId(format!("X{index}"))
}

/// What the current text state holds, to skip redundant operators. Starts unknown: a form
/// inherits whatever state the page had when it was drawn.
#[derive(Default)]
struct TextState {
    font: Option<(usize, u32)>,
    spacing: Option<f32>,
    fill: Option<Color>,
}

/// Turns page-model items into printpdf operations.
struct Ops<'a> {
    measure: &'a mut Measure,
    faces: &'a [FaceUse],
    /// Opacity of each graphics state, by index (`GS0`, `GS1`, …).
    opacities: &'a mut Vec<f32>,
    /// The QR codes, by index (`Q0`, `Q1`, …), as image masks.
    codes: &'a mut Vec<ExternalXObject>,
    page_height: f32,
}

impl Ops<'_> {
    fn y(&self, y_mm: f32) -> f32 {
        r((self.page_height - y_mm) * PT_PER_MM)
    }

    fn point(&self, x_mm: f32, y_mm: f32) -> LinePoint {
        LinePoint {
            p: Point {
                x: Pt(r(x_mm * PT_PER_MM)),
                y: Pt(self.y(y_mm)),
            },
            bezier: false,
        }
    }

    fn items(&mut self, items: &[Item]) -> Result<Vec<Op>, PdfError> {
        let mut ops = Vec::with_capacity(items.len() * 6);
        let mut state = TextState::default();
        for item in items {
            match item {
                Item::Text(text) => self.text(&mut ops, text, &mut state)?,
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
                    ops.push(Op::SaveGraphicsState);
                    ops.push(Op::LoadGraphicsState {
                        gs: ExtendedGraphicsStateId(format!("GS{index}")),
                    });
                    self.text(&mut ops, text, &mut TextState::default())?;
                    ops.push(Op::RestoreGraphicsState);
                }
                Item::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                    color,
                } => {
                    ops.push(Op::SetOutlineColor { col: rgb(*color) });
                    ops.push(Op::SetOutlineThickness {
                        pt: Pt(r(width * PT_PER_MM)),
                    });
                    ops.push(Op::DrawLine {
                        line: Line {
                            points: vec![self.point(*x1, *y1), self.point(*x2, *y2)],
                            is_closed: false,
                        },
                    });
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
                        ops.push(Op::SetOutlineColor { col: rgb(*color) });
                        ops.push(Op::SetOutlineThickness {
                            pt: Pt(r(width * PT_PER_MM)),
                        });
                    } else {
                        ops.push(Op::SetFillColor { col: rgb(*color) });
                        state.fill = Some(*color);
                    }
                    ops.push(Op::DrawRectangle {
                        rectangle: Rect {
                            x: Pt(r(x * PT_PER_MM)),
                            y: Pt(self.y(y + h)),
                            width: Pt(r(w * PT_PER_MM)),
                            height: Pt(r(h * PT_PER_MM)),
                            mode: Some(if stroke {
                                PaintMode::Stroke
                            } else {
                                PaintMode::Fill
                            }),
                            winding_order: None,
                        },
                    });
                }
                Item::Qr { x, y, size, code } => {
                    let id = XObjectId(format!("Q{}", self.codes.len()));
                    self.codes.push(image_mask(code));
                    ops.push(Op::SaveGraphicsState);
                    ops.push(Op::SetFillColor {
                        col: rgb(Color::BLACK),
                    });
                    ops.push(Op::UseXobject {
                        id,
                        transform: XObjectTransform {
                            translate_x: Some(Pt(r(x * PT_PER_MM))),
                            translate_y: Some(Pt(self.y(y + size))),
                            scale_x: Some(r(size * PT_PER_MM)),
                            scale_y: Some(r(size * PT_PER_MM)),
                            ..XObjectTransform::default()
                        },
                    });
                    ops.push(Op::RestoreGraphicsState);
                }
                Item::Form(index) => ops.push(Op::UseXobject {
                    id: form_id(*index),
                    transform: XObjectTransform::default(),
                }),
            }
        }
        Ok(ops)
    }

    fn text(
        &mut self,
        ops: &mut Vec<Op>,
        text: &Text,
        state: &mut TextState,
    ) -> Result<(), PdfError> {
        if text.text.chars().all(|c| c.is_control()) {
            return Ok(());
        }
        // Runs of glyphs from one face, as glyph ids of that face's subset.
        let mut runs: Vec<(usize, Vec<Codepoint>)> = Vec::new();
        for c in text.text.chars().filter(|c| !c.is_control()) {
            let glyph =
                self.measure
                    .glyph(text.style, c)
                    .ok_or_else(|| PdfError::MissingGlyph {
                        ch: c,
                        text: text.text.clone(),
                    })?;
            let slot = self
                .faces
                .iter()
                .position(|u| u.face == glyph.face)
                .ok_or_else(|| PdfError::Internal(format!("字体 {} 未收集", glyph.face.name())))?;
            let id = self.faces[slot]
                .new_ids
                .get(&glyph.id)
                .copied()
                .unwrap_or(0);
            let code = Codepoint::with_cid(id, 0.0, c.to_string());
            match runs.last_mut() {
                Some((s, ids)) if *s == slot => ids.push(code),
                _ => runs.push((slot, vec![code])),
            }
        }
        let width = self.measure.text_width(text);
        let shift = match text.align {
            Align::Left => 0.0,
            Align::Center => -width / 2.0,
            Align::Right => -width,
        } * PT_PER_MM;
        let (sin, cos) = text.rotate.to_radians().sin_cos();
        let (ax, ay) = (text.x * PT_PER_MM, (self.page_height - text.y) * PT_PER_MM);

        // Letter-spaced text (a title) reads back as spaced-out characters unless the actual
        // text is given: then copying and searching find `荣誉证书`, not `荣 誉 证 书`.
        let spaced = text.spacing.abs() > 0.5 && text.text.chars().count() > 1;
        if spaced {
            ops.push(Op::BeginMarkedContentWithProperties {
                tag: "Span".into(),
                properties: DictItem::Dict {
                    map: BTreeMap::from([(
                        "ActualText".to_string(),
                        DictItem::String {
                            data: utf16_be(&text.text),
                            literal: false,
                        },
                    )]),
                },
            });
        }
        ops.push(Op::StartTextSection);
        if state.fill != Some(text.color) {
            ops.push(Op::SetFillColor {
                col: rgb(text.color),
            });
            state.fill = Some(text.color);
        }
        let spacing = r(text.spacing * PT_PER_MM);
        if state
            .spacing
            .is_none_or(|current| (spacing - current).abs() > 0.001)
        {
            ops.push(Op::SetCharacterSpacing {
                multiplier: spacing,
            });
            state.spacing = Some(spacing);
        }
        let (a, b, c, d) = if text.rotate == 0.0 {
            (1.0, 0.0, 0.0, 1.0)
        } else {
            let four = |v: f32| (v * 10_000.0).round() / 10_000.0;
            (four(cos), four(sin), four(-sin), four(cos))
        };
        ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Raw([a, b, c, d, r(ax + shift * cos), r(ay + shift * sin)]),
        });
        self.show_runs(ops, text, runs, state);
        ops.push(Op::EndTextSection);
        if spaced {
            ops.push(Op::EndMarkedContentWithProperties);
        }
        Ok(())
    }

    /// The runs of one text, each in its face's font; a rare character of a bold text, from the
    /// regular fallback face, is drawn filled and outlined so that it prints as heavy as its
    /// bold neighbours.
    fn show_runs(
        &self,
        ops: &mut Vec<Op>,
        text: &Text,
        runs: Vec<(usize, Vec<Codepoint>)>,
        state: &mut TextState,
    ) {
        let size_key = (text.size * 100.0).round() as u32;
        for (slot, glyphs) in runs {
            if state.font != Some((slot, size_key)) {
                ops.push(Op::SetFont {
                    font: PdfFontHandle::External(font_id(slot)),
                    size: Pt(r(text.size)),
                });
                state.font = Some((slot, size_key));
            }
            let embolden = text.style.is_bold() && self.faces[slot].face != text.style.faces()[0];
            if embolden {
                ops.push(Op::SetOutlineColor {
                    col: rgb(text.color),
                });
                ops.push(Op::SetOutlineThickness {
                    pt: Pt(r(text.size * EMBOLDEN_PER_PT)),
                });
                ops.push(Op::SetTextRenderingMode {
                    mode: TextRenderingMode::FillStroke,
                });
            }
            ops.push(Op::ShowText {
                items: vec![TextItem::GlyphIds(glyphs)],
            });
            if embolden {
                ops.push(Op::SetTextRenderingMode {
                    mode: TextRenderingMode::Fill,
                });
            }
        }
    }
}

/// A QR code as a 1-bit image mask, to be scaled to its square: a 0 bit (a dark module)
/// paints, which is the image mask's default, so the dictionary needs no decode array.
fn image_mask(code: &QrMatrix) -> ExternalXObject {
    let n = code.width;
    let mut bits = Vec::with_capacity(n * n.div_ceil(8));
    for row in 0..n {
        for byte_start in (0..n).step_by(8) {
            let mut byte = 0xFFu8;
            for bit in 0..8 {
                if byte_start + bit < n && code.is_dark(row, byte_start + bit) {
                    byte &= !(0x80 >> bit);
                }
            }
            bits.push(byte);
        }
    }
    let side = i64::try_from(n).unwrap_or(0);
    let name = |n: &str| DictItem::Name(n.as_bytes().to_vec());
    ExternalXObject {
        stream: ExternalStream {
            dict: BTreeMap::from([
                ("Subtype".to_string(), name("Image")),
                ("Width".to_string(), DictItem::Int(side)),
                ("Height".to_string(), DictItem::Int(side)),
                ("ImageMask".to_string(), DictItem::Bool(true)),
            ]),
            content: bits,
            compress: true,
        },
        width: None,
        height: None,
        dpi: None,
    }
}

/// Writes `doc` as a PDF dated now. `progress(done, total)` is called as pages are laid down.
pub fn pdf(doc: &Document, progress: &mut dyn FnMut(usize, usize)) -> Result<Vec<u8>, PdfError> {
    pdf_at(doc, chrono::Utc::now().timestamp(), progress)
}

/// Writes `doc` as a PDF created at `unix_seconds`: the same document and time give the
/// same bytes.
pub fn pdf_at(
    doc: &Document,
    unix_seconds: i64,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<u8>, PdfError> {
    let mut measure = Measure::new();
    let faces = gather_glyphs(doc, &mut measure)?;

    let mut pdf = PdfDocument::new(&doc.title);
    let date = printpdf::OffsetDateTime::from_unix_timestamp(unix_seconds)
        .map_err(|e| PdfError::Internal(e.to_string()))?;
    let info = &mut pdf.metadata.info;
    info.author = "judgedesk".into();
    info.creator = "judgedesk".into();
    info.producer = "judgedesk (printpdf)".into();
    info.creation_date = date;
    info.modification_date = date;
    info.metadata_date = date;

    for ((slot, u), bytes) in faces.iter().enumerate().zip(subset_all(&faces)) {
        let bytes = bytes?;
        let mut warnings = Vec::new();
        let mut font =
            ParsedFont::from_bytes(&bytes, 0, &mut warnings).ok_or_else(|| PdfError::Font {
                face: u.face.name(),
                message: format!("{warnings:?}"),
            })?;
        font.font_name = Some(format!(
            "{}+{}",
            subset_tag(u.face, &u.glyphs),
            u.face.name()
        ));
        pdf.resources
            .fonts
            .map
            .insert(font_id(slot), PdfFont::new(font));
    }

    let (w, h) = (Mm(doc.width), Mm(doc.height));
    let mut opacities = Vec::new();
    let mut codes = Vec::new();
    let mut ops = Ops {
        measure: &mut measure,
        faces: &faces,
        opacities: &mut opacities,
        codes: &mut codes,
        page_height: doc.height,
    };
    // The shared blocks first, as pages that become Form XObjects below.
    let mut pages = Vec::with_capacity(doc.forms.len() + doc.pages.len());
    for form in &doc.forms {
        pages.push(PdfPage::new(w, h, ops.items(form)?));
    }
    let total = doc.pages.len();
    for (i, page) in doc.pages.iter().enumerate() {
        pages.push(PdfPage::new(w, h, ops.items(&page.items)?));
        progress(i + 1, total);
    }
    pdf.pages = pages;
    for (i, opacity) in opacities.iter().enumerate() {
        pdf.resources.extgstates.map.insert(
            ExtendedGraphicsStateId(format!("GS{i}")),
            ExtendedGraphicsState::default()
                .with_current_fill_alpha(*opacity)
                .with_current_stroke_alpha(*opacity),
        );
    }
    for (i, code) in codes.into_iter().enumerate() {
        pdf.resources
            .xobjects
            .map
            .insert(XObjectId(format!("Q{i}")), XObject::External(code));
    }

    let options = PdfSaveOptions {
        optimize: false,
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut out = printpdf::to_lopdf_doc(&pdf, &options, &mut warnings);
    drop(pdf);
    if let Some(error) = warnings
        .iter()
        .find(|w| w.severity == printpdf::PdfParseErrorSeverity::Error)
    {
        return Err(PdfError::Internal(error.msg.clone()));
    }
    rearrange(&mut out, doc.forms.len(), doc.width, doc.height)?;
    compress_all(&mut out);
    let mut bytes = Vec::new();
    out.save_with_options(
        &mut bytes,
        lopdf::SaveOptions::builder()
            .use_object_streams(true)
            .use_xref_streams(true)
            .compression_level(6)
            .build(),
    )
    .map_err(|e| PdfError::Internal(e.to_string()))?;
    Ok(bytes)
}

/// How many threads the CPU-bound steps use.
fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8)
}

/// Subsets every face, one thread each (a batch of certificates uses three).
fn subset_all(faces: &[FaceUse]) -> Vec<Result<Vec<u8>, PdfError>> {
    if threads() <= 1 || faces.len() <= 1 {
        return faces.iter().map(|u| subset(u.face, &u.glyphs)).collect();
    }
    std::thread::scope(|scope| {
        let workers: Vec<_> = faces
            .iter()
            .map(|u| scope.spawn(move || subset(u.face, &u.glyphs)))
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|_| Err(PdfError::Internal("字体子集线程异常退出".into())))
            })
            .collect()
    })
}

/// `lopdf::Document::compress` on as many threads as the machine has cores: each stream that
/// allows it is deflated by lopdf.
fn compress_all(doc: &mut lopdf::Document) {
    let mut streams: Vec<&mut lopdf::Stream> = doc
        .objects
        .values_mut()
        .filter_map(|o| match o {
            Object::Stream(s) if s.allows_compression => Some(s),
            _ => None,
        })
        .collect();
    let chunk = streams.len().div_ceil(threads()).max(1);
    std::thread::scope(|scope| {
        for part in streams.chunks_mut(chunk) {
            scope.spawn(move || {
                for stream in part {
                    // As lopdf does: a stream that fails to compress stays as it is.
                    let _ = stream.compress();
                }
            });
        }
    });
}

fn internal(e: lopdf::Error) -> PdfError {
    PdfError::Internal(e.to_string())
}

/// Turns the first `forms` pages of printpdf's output into Form XObjects named `X0`, `X1`, …
/// in the shared XObject resources, gives every page one resource dictionary, drops the
/// boxes equal to the media box, and sets the catalogue's language, the PDF version and a
/// file identifier derived from the content.
fn rearrange(
    doc: &mut lopdf::Document,
    forms: usize,
    width: f32,
    height: f32,
) -> Result<(), PdfError> {
    let catalog_id = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(internal)?;
    let pages_id = doc
        .get_dictionary(catalog_id)
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .map_err(internal)?;
    let kids: Vec<ObjectId> = doc
        .get_dictionary(pages_id)
        .and_then(|p| p.get(b"Kids"))
        .and_then(Object::as_array)
        .map_err(internal)?
        .iter()
        .filter_map(|k| k.as_reference().ok())
        .collect();

    // One resource dictionary for every page and form: printpdf gives each page its own,
    // all alike (references to the shared font, XObject and graphics state dictionaries).
    let Some(&first) = kids.first() else {
        return Ok(());
    };
    let resources_id = doc
        .get_dictionary(first)
        .and_then(|p| p.get(b"Resources"))
        .and_then(Object::as_reference)
        .map_err(internal)?;
    let xobjects_id = doc
        .get_dictionary(resources_id)
        .and_then(|r| r.get(b"XObject"))
        .and_then(Object::as_reference)
        .map_err(internal)?;

    let bbox = Object::Array(
        [0.0, 0.0, r(width * PT_PER_MM), r(height * PT_PER_MM)]
            .into_iter()
            .map(Object::Real)
            .collect(),
    );
    let mut form_refs = Vec::with_capacity(forms);
    for &page_id in &kids {
        let page = doc.get_dictionary_mut(page_id).map_err(internal)?;
        if let Ok(own) = page.get(b"Resources").and_then(Object::as_reference)
            && own != resources_id
        {
            page.set("Resources", Object::Reference(resources_id));
            doc.objects.remove(&own);
        }
        let page = doc.get_dictionary_mut(page_id).map_err(internal)?;
        page.remove(b"TrimBox");
        page.remove(b"CropBox");
        if page
            .get(b"Annots")
            .and_then(Object::as_array)
            .is_ok_and(|a| a.is_empty())
        {
            page.remove(b"Annots");
        }
    }
    for &page_id in kids.iter().take(forms) {
        let content = doc
            .get_dictionary(page_id)
            .and_then(|p| p.get(b"Contents"))
            .and_then(Object::as_reference)
            .map_err(internal)?;
        let stream = doc
            .get_object_mut(content)
            .and_then(Object::as_stream_mut)
            .map_err(internal)?;
        stream.dict.set("Type", Object::Name(b"XObject".to_vec()));
        stream.dict.set("Subtype", Object::Name(b"Form".to_vec()));
        stream.dict.set("BBox", bbox.clone());
        stream
            .dict
            .set("Resources", Object::Reference(resources_id));
        doc.objects.remove(&page_id);
        form_refs.push(content);
    }
    let xobjects = doc.get_dictionary_mut(xobjects_id).map_err(internal)?;
    for (i, content) in form_refs.into_iter().enumerate() {
        xobjects.set(form_id(i).0.into_bytes(), Object::Reference(content));
    }
    let remaining: Vec<Object> = kids
        .iter()
        .skip(forms)
        .map(|&id| Object::Reference(id))
        .collect();
    let pages = doc.get_dictionary_mut(pages_id).map_err(internal)?;
    pages.set("Count", Object::Integer(remaining.len() as i64));
    pages.set("Kids", Object::Array(remaining));

    let catalog = doc.get_dictionary_mut(catalog_id).map_err(internal)?;
    catalog.set("Lang", Object::string_literal("zh-CN"));
    catalog.set(
        "ViewerPreferences",
        Object::Dictionary(Dictionary::from_iter([(
            "DisplayDocTitle",
            Object::Boolean(true),
        )])),
    );
    doc.version = "1.7".into();

    // printpdf's information dictionary also claims PDF/X (GTS_PDFXVersion) and carries empty
    // fields; keep what is true: title, author, creator, producer and the dates.
    if let Ok(info_id) = doc.trailer.get(b"Info").and_then(Object::as_reference)
        && let Ok(info) = doc.get_dictionary_mut(info_id)
    {
        for key in [
            "GTS_PDFXVersion",
            "Trapped",
            "Identifier",
            "Subject",
            "Keywords",
        ] {
            info.remove(key.as_bytes());
        }
    }

    // A file identifier from the content, so that the same document gives the same bytes.
    let mut hasher = Sha256::new();
    for object in doc.objects.values() {
        if let Object::Stream(stream) = object {
            hasher.update(&stream.content);
        }
    }
    let id: Vec<u8> = hasher.finalize().iter().take(16).copied().collect();
    let id = Object::String(id, lopdf::StringFormat::Hexadecimal);
    doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::layout::{Page, Style};

    fn written(doc: &Document) -> Vec<u8> {
        pdf_at(doc, 1_700_000_000, &mut |_, _| {}).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Every content stream of a written PDF, inflated, with the dictionaries around them.
    fn loaded(pdf: &[u8]) -> lopdf::Document {
        lopdf::Document::load_mem(pdf).unwrap_or_else(|e| panic!("reads back: {e}"))
    }

    fn contents(pdf: &[u8]) -> String {
        let doc = loaded(pdf);
        let mut all = String::new();
        for object in doc.objects.values() {
            if let Object::Stream(stream) = object {
                let bytes = stream
                    .decompressed_content()
                    .unwrap_or_else(|_| stream.content.clone());
                all.push_str(&String::from_utf8_lossy(&bytes));
                all.push('\n');
            }
        }
        all
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
        match pdf(&doc, &mut |_, _| {}) {
            Err(PdfError::MissingGlyph { ch, .. }) => assert_eq!(ch, '\u{E000}'),
            other => panic!("expected a missing glyph, got {:?}", other.map(|b| b.len())),
        }
    }

    #[test]
    fn output_is_deterministic_with_shared_blocks_as_forms_and_a_font_per_face() {
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
        let a = written(&doc);
        assert_eq!(a, written(&doc));
        assert!(a.starts_with(b"%PDF-1.7"));
        let read = loaded(&a);
        assert_eq!(read.get_pages().len(), 2);
        let mut type0 = 0;
        let mut forms = 0;
        for object in read.objects.values() {
            let dict = match object {
                Object::Dictionary(d) => d,
                Object::Stream(s) => &s.dict,
                _ => continue,
            };
            if dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0".as_slice()) {
                type0 += 1;
            }
            if dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form".as_slice()) {
                forms += 1;
            }
        }
        assert_eq!(type0, 2, "serif and the fallback for 𠇔");
        assert_eq!(forms, 1, "the border is drawn once");
    }

    #[test]
    fn a_rare_character_in_a_bold_name_is_emboldened_and_regular_text_is_not() {
        let page = |style| Page {
            items: vec![Item::Text(Text::new(20.0, 20.0, 24.0, style, "张𠇔"))],
        };
        let mut bold = Document::new("t", 100.0, 100.0);
        bold.pages.push(page(Style::SerifBold));
        let shown = contents(&written(&bold));
        assert!(
            shown.contains("2 Tr"),
            "fill and stroke for the fallback: {shown}"
        );
        assert!(shown.contains("0 Tr"), "back to fill after it");
        let mut regular = Document::new("t", 100.0, 100.0);
        regular.pages.push(page(Style::Serif));
        assert!(!contents(&written(&regular)).contains(" Tr"));
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
        let text = contents(&written(&doc));
        assert!(
            text.replace(' ', "")
                .contains("/Span<</ActualText<FEFF83638A898BC14E66>>>BDC"),
            "no actual text in the page's content:\n{text}"
        );
        assert_eq!(text.matches("BDC").count(), 1, "unspaced text needs none");
        assert_eq!(text.matches("BDC").count(), text.matches("EMC").count());
    }
}
