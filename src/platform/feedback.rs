//! What an auditor hears and feels when a label is read during an audit, so that eyes can stay
//! on the shelf: one short high tone and a short buzz for a genuine label; three low tones and
//! a longer buzz pattern for anything else. Where sound or vibration is unavailable (iOS has
//! no vibration; a muted phone), the on-screen list still says everything.

use std::cell::RefCell;
use web_sys::{AudioContext, OscillatorType};

pub const GOOD_BUZZ: [u32; 1] = [60];
pub const BAD_BUZZ: [u32; 5] = [150, 80, 150, 80, 150];

thread_local! {
    static AUDIO: RefCell<Option<AudioContext>> = const { RefCell::new(None) };
}

/// Browsers allow sound only after a user gesture: call this from one (starting an audit).
pub fn unlock() {
    AUDIO.with(|a| {
        let mut a = a.borrow_mut();
        if a.is_none() {
            *a = AudioContext::new().ok();
        }
        if let Some(ctx) = a.as_ref() {
            let _ = ctx.resume();
        }
    });
}

fn tone(ctx: &AudioContext, freq: f32, start: f64, secs: f64) -> Option<()> {
    let osc = ctx.create_oscillator().ok()?;
    let gain = ctx.create_gain().ok()?;
    osc.set_type(OscillatorType::Sine);
    osc.frequency().set_value(freq);
    // A quick fade in and out: no click at either end.
    let g = gain.gain();
    g.set_value_at_time(0.0, start).ok()?;
    g.linear_ramp_to_value_at_time(0.25, start + 0.01).ok()?;
    g.linear_ramp_to_value_at_time(0.0, start + secs).ok()?;
    osc.connect_with_audio_node(&gain).ok()?;
    gain.connect_with_audio_node(&ctx.destination()).ok()?;
    osc.start_with_when(start).ok()?;
    osc.stop_with_when(start + secs + 0.02).ok()
}

pub fn signal(good: bool) {
    AUDIO.with(|a| {
        if let Some(ctx) = a.borrow().as_ref() {
            let now = ctx.current_time();
            if good {
                tone(ctx, 1320.0, now, 0.12);
            } else {
                for i in 0..3 {
                    tone(ctx, 330.0, now + f64::from(i) * 0.16, 0.12);
                }
            }
        }
    });
    if let Some(nav) = web_sys::window().map(|w| w.navigator()) {
        let pattern: &[u32] = if good { &GOOD_BUZZ } else { &BAD_BUZZ };
        let array: js_sys::Array = pattern.iter().map(|&ms| wasm_bindgen::JsValue::from(ms)).collect();
        let _ = nav.vibrate_with_pattern(&array);
    }
}
