//! How the window draws: eframe's two renderers, wgpu (Direct3D 12, Vulkan or OpenGL through
//! wgpu) and glow (OpenGL directly), both compiled in. Left alone the window tries wgpu on the
//! graphics card, then glow, then wgpu on the software adapter (WARP on Windows, llvmpipe or
//! lavapipe elsewhere), so a laptop with a broken or missing driver still gets a window.
//! `--renderer wgpu|glow` or `JUDGEDESK_RENDERER=wgpu|glow` asks for one renderer only
//! (wgpu still falls back to the software adapter).
//!
//! A build without the `wgpu` feature (the Windows 7 build) has glow only: every choice is glow.

use std::fmt;
#[cfg(feature = "wgpu")]
use std::sync::Arc;

#[cfg(feature = "wgpu")]
use eframe::egui_wgpu::{WgpuConfiguration, WgpuSetup, WgpuSetupCreateNew};
#[cfg(feature = "wgpu")]
use eframe::wgpu;

/// The environment variable that chooses the renderer when `--renderer` is not given.
pub const ENV: &str = "JUDGEDESK_RENDERER";

/// The renderer a person asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// Whatever starts, in the order of [`Choice::attempts`].
    Auto,
    Wgpu,
    Glow,
}

impl Choice {
    /// `wgpu`, `glow` or `auto` (any case, surrounding spaces ignored); anything else is None.
    pub fn parse(text: &str) -> Option<Choice> {
        match text.trim().to_ascii_lowercase().as_str() {
            "wgpu" => Some(Choice::Wgpu),
            "glow" | "opengl" | "gl" => Some(Choice::Glow),
            "auto" | "" => Some(Choice::Auto),
            _ => None,
        }
    }

    /// The command line's choice, else the environment's, else automatic. An unknown value in
    /// the environment is ignored (the window must open), an unknown flag is refused by clap.
    pub fn from_flag_or_env(flag: Option<&str>) -> Choice {
        flag.and_then(Choice::parse)
            .or_else(|| std::env::var(ENV).ok().as_deref().and_then(Choice::parse))
            .unwrap_or(Choice::Auto)
    }

    /// The ways to start the window, tried in order until one opens.
    pub fn attempts(self) -> &'static [Attempt] {
        self.attempts_in(cfg!(feature = "wgpu"))
    }

    /// The attempts in a build with or without wgpu (without it, glow is all there is).
    fn attempts_in(self, with_wgpu: bool) -> &'static [Attempt] {
        if !with_wgpu {
            return &[Attempt::Glow];
        }
        match self {
            Choice::Auto => &[Attempt::WgpuHardware, Attempt::Glow, Attempt::WgpuSoftware],
            Choice::Wgpu => &[Attempt::WgpuHardware, Attempt::WgpuSoftware],
            Choice::Glow => &[Attempt::Glow],
        }
    }
}

/// One way to start the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    WgpuHardware,
    Glow,
    WgpuSoftware,
}

impl fmt::Display for Attempt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Attempt::WgpuHardware => "wgpu",
            Attempt::Glow => "glow",
            Attempt::WgpuSoftware => "wgpu（软件绘制）",
        })
    }
}

impl Attempt {
    /// `base` set up for this attempt.
    pub fn options(self, base: &eframe::NativeOptions) -> eframe::NativeOptions {
        let mut options = base.clone();
        match self {
            Attempt::Glow => options.renderer = eframe::Renderer::Glow,
            #[cfg(feature = "wgpu")]
            Attempt::WgpuHardware => options.renderer = eframe::Renderer::Wgpu,
            #[cfg(feature = "wgpu")]
            Attempt::WgpuSoftware => {
                options.renderer = eframe::Renderer::Wgpu;
                options.wgpu_options = software_wgpu();
            }
            // Never attempted without wgpu (`Choice::attempts`): glow is what there is.
            #[cfg(not(feature = "wgpu"))]
            Attempt::WgpuHardware | Attempt::WgpuSoftware => {
                options.renderer = eframe::Renderer::Glow
            }
        }
        options
    }
}

/// wgpu restricted to an adapter that draws on the processor.
#[cfg(feature = "wgpu")]
fn software_wgpu() -> WgpuConfiguration {
    let mut setup = WgpuSetupCreateNew::without_display_handle();
    setup.instance_descriptor.backends = wgpu::Backends::all();
    setup.native_adapter_selector = Some(Arc::new(|adapters, _surface| {
        adapters
            .iter()
            .find(|a| a.get_info().device_type == wgpu::DeviceType::Cpu)
            .cloned()
            .ok_or_else(|| "no software adapter".to_owned())
    }));
    WgpuConfiguration {
        wgpu_setup: WgpuSetup::CreateNew(setup),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_renderer_is_named_in_any_case_and_an_unknown_name_is_none() {
        assert_eq!(Choice::parse(" GLOW "), Some(Choice::Glow));
        assert_eq!(Choice::parse("wgpu"), Some(Choice::Wgpu));
        assert_eq!(Choice::parse("auto"), Some(Choice::Auto));
        assert_eq!(Choice::parse("directx"), None);
    }

    #[test]
    #[cfg(feature = "wgpu")]
    fn the_automatic_choice_falls_back_from_wgpu_to_glow_to_software() {
        assert_eq!(
            Choice::Auto.attempts(),
            [Attempt::WgpuHardware, Attempt::Glow, Attempt::WgpuSoftware]
        );
        assert_eq!(Choice::Glow.attempts(), [Attempt::Glow]);
        assert_eq!(Choice::from_flag_or_env(Some("glow")), Choice::Glow);
    }

    #[test]
    fn a_build_without_wgpu_always_starts_glow() {
        for choice in [Choice::Auto, Choice::Wgpu, Choice::Glow] {
            assert_eq!(choice.attempts_in(false), [Attempt::Glow]);
        }
        assert_eq!(Choice::Auto.attempts_in(true)[0], Attempt::WgpuHardware);
    }

    #[test]
    #[cfg(feature = "wgpu")]
    fn each_attempt_sets_its_renderer() {
        let base = eframe::NativeOptions::default();
        assert_eq!(
            Attempt::Glow.options(&base).renderer,
            eframe::Renderer::Glow
        );
        assert_eq!(
            Attempt::WgpuSoftware.options(&base).renderer,
            eframe::Renderer::Wgpu
        );
    }
}
