//! Installs the bundled Chinese fonts into egui (Noto Sans SC first, LXGW WenKai as fallback).
//!
//! Proportional text: Noto Sans SC, then LXGW WenKai (for rare name characters such as the
//! Extension B character 𠇔 that Noto Sans SC lacks), then egui's default fonts (symbols).
//!
//! Monospace text: egui's Hack stays first so Latin letters and digits keep a fixed width
//! (score columns, codes); Noto Sans SC and LXGW WenKai follow it for Chinese, then the rest
//! of egui's defaults.
//!
//! Two named families draw previews of printed pages in the faces the PDF uses:
//! [`SERIF`] (Noto Serif SC, then LXGW WenKai) and [`SERIF_BOLD`] (Noto Serif SC Bold, then
//! LXGW WenKai). egui loads a face only when a family first uses it.

use std::sync::Arc;

use egui::{FontData, FontDefinitions, FontFamily};

use crate::fonts::Face;

/// The name egui's default definitions give their monospace font.
const EGUI_MONOSPACE: &str = "Hack";

/// The bundled faces the window uses, in fallback order.
const UI_FACES: [Face; 2] = [Face::Sans, Face::Fallback];

/// The family of the certificates' serif text in previews.
pub const SERIF: &str = "print-serif";
/// The family of the certificates' bold serif text (names, titles) in previews.
pub const SERIF_BOLD: &str = "print-serif-bold";

/// egui's default fonts with the bundled Sans and Fallback faces put in front of them
/// (see the module doc for the order in each family).
pub fn font_definitions() -> FontDefinitions {
    let mut defs = FontDefinitions::default();
    for face in UI_FACES {
        defs.font_data.insert(
            face.name().to_owned(),
            Arc::new(FontData::from_static(face.bytes())),
        );
    }
    let ours = || UI_FACES.iter().map(|face| face.name().to_owned());

    let proportional = defs.families.entry(FontFamily::Proportional).or_default();
    proportional.splice(0..0, ours());

    let monospace = defs.families.entry(FontFamily::Monospace).or_default();
    let after_hack = monospace
        .iter()
        .position(|name| name == EGUI_MONOSPACE)
        .map_or(0, |i| i + 1);
    monospace.splice(after_hack..after_hack, ours());

    for (family, face) in [(SERIF, Face::Serif), (SERIF_BOLD, Face::SerifBold)] {
        defs.font_data.insert(
            face.name().to_owned(),
            Arc::new(FontData::from_static(face.bytes())),
        );
        defs.families.insert(
            FontFamily::Name(family.into()),
            vec![face.name().to_owned(), Face::Fallback.name().to_owned()],
        );
    }

    defs
}

/// Tells `ctx` to use [`font_definitions`]. Call once, when the window is created.
pub fn install_fonts(ctx: &egui::Context) {
    ctx.set_fonts(font_definitions());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn family(defs: &FontDefinitions, family: FontFamily) -> Vec<String> {
        defs.families.get(&family).cloned().unwrap_or_default()
    }

    #[test]
    fn proportional_starts_with_sans_then_fallback_then_egui_defaults() {
        let defs = font_definitions();
        let names = family(&defs, FontFamily::Proportional);
        assert_eq!(names[..2], [Face::Sans.name(), Face::Fallback.name()]);
        let default = family(&FontDefinitions::default(), FontFamily::Proportional);
        assert_eq!(names[2..], default[..]);
    }

    #[test]
    fn monospace_keeps_hack_first_then_sans_then_fallback() {
        let defs = font_definitions();
        let names = family(&defs, FontFamily::Monospace);
        let default = family(&FontDefinitions::default(), FontFamily::Monospace);
        let ours = [Face::Sans.name(), Face::Fallback.name()];

        let first_of_ours = usize::from(default.first().is_some_and(|n| n == EGUI_MONOSPACE));
        assert_eq!(names[..first_of_ours], default[..first_of_ours]);
        assert_eq!(names[first_of_ours..first_of_ours + 2], ours);

        let mut others = names.clone();
        others.retain(|name| !ours.contains(&name.as_str()));
        assert_eq!(others, default);
    }

    #[test]
    fn egui_default_fonts_are_kept() {
        let defs = font_definitions();
        for (name, data) in &FontDefinitions::default().font_data {
            assert!(defs.font_data.get(name) == Some(data), "{name} dropped");
        }
    }

    #[test]
    fn every_family_entry_has_font_data() {
        let defs = font_definitions();
        for names in defs.families.values() {
            for name in names {
                assert!(defs.font_data.contains_key(name), "no data for {name}");
            }
        }
    }

    #[test]
    fn print_families_use_the_pdf_faces_then_the_fallback() {
        let defs = font_definitions();
        for (name, face) in [(SERIF, Face::Serif), (SERIF_BOLD, Face::SerifBold)] {
            assert_eq!(
                family(&defs, FontFamily::Name(name.into())),
                [face.name(), Face::Fallback.name()]
            );
        }
    }

    #[test]
    fn installed_context_has_rare_name_glyphs_in_both_families() {
        let ctx = egui::Context::default();
        install_fonts(&ctx);
        let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
        output.textures_delta.clear();
        let text = "堃喆犇淼燚䶮\u{201D4} 张三 98.5";
        for font_id in [
            egui::FontId::proportional(14.0),
            egui::FontId::monospace(14.0),
        ] {
            assert!(
                ctx.fonts_mut(|fonts| fonts.has_glyphs(&font_id, text)),
                "{font_id:?}"
            );
        }
    }
}
