//! Icons drawn as inline SVG in the text's colour, never as characters: a phone without a
//! symbol or emoji font shows an empty box for `⌛` or `⚠`, where a verdict's icon (with its
//! word and colour, never colour alone) must always show.

use labelcheck_core::VerdictKind;
use yew::prelude::*;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Glyph {
    Check,
    Cross,
    Revoked,
    Hourglass,
    Question,
    Info,
    Warning,
}

impl Glyph {
    /// The icon of each verdict.
    pub fn of(kind: VerdictKind) -> Glyph {
        match kind {
            VerdictKind::Genuine | VerdictKind::GenuineOffline => Glyph::Check,
            VerdictKind::NotGenuine => Glyph::Cross,
            VerdictKind::Revoked => Glyph::Revoked,
            VerdictKind::Expired => Glyph::Hourglass,
            VerdictKind::UnknownAuthority => Glyph::Question,
            VerdictKind::NotALabel => Glyph::Info,
            VerdictKind::CannotCheck => Glyph::Warning,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Glyph::Check => "check",
            Glyph::Cross => "cross",
            Glyph::Revoked => "revoked",
            Glyph::Hourglass => "hourglass",
            Glyph::Question => "question",
            Glyph::Info => "info",
            Glyph::Warning => "warning",
        }
    }

    /// Strokes on a 24 × 24 grid.
    fn strokes(self) -> Html {
        match self {
            Glyph::Check => html! { <path d="M4.5 12.5l5 5L19.5 6.5" /> },
            Glyph::Cross => html! { <path d="M6 6l12 12M18 6L6 18" /> },
            Glyph::Revoked => html! { <><circle cx="12" cy="12" r="8.5" /><path d="M6 18L18 6" /></> },
            Glyph::Hourglass => html! {
                <path d="M6.5 3.5h11M6.5 20.5h11M8 3.5c0 5 8 5.5 8 8.5s-8 3.5-8 8.5M16 3.5c0 5-8 5.5-8 8.5s8 3.5 8 8.5" />
            },
            Glyph::Question => html! {
                <><path d="M8.5 9a3.5 3.5 0 1 1 5.2 3.1c-1.1.6-1.7 1.3-1.7 2.6" /><circle cx="12" cy="19" r="0.6" /></>
            },
            Glyph::Info => {
                html! { <><circle cx="12" cy="12" r="9" /><path d="M12 11v6" /><circle cx="12" cy="7.5" r="0.6" /></> }
            }
            Glyph::Warning => {
                html! { <><path d="M12 3.5L2.5 20h19z" /><path d="M12 10v4.5" /><circle cx="12" cy="17.3" r="0.6" /></> }
            }
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct IconProps {
    pub glyph: Glyph,
    /// Its size: an SVG length (`1em` beside text).
    #[prop_or(AttrValue::Static("1em"))]
    pub size: AttrValue,
    /// Where it sits inside an enclosing SVG (a chart's row).
    #[prop_or_default]
    pub x: Option<AttrValue>,
    #[prop_or_default]
    pub y: Option<AttrValue>,
}

#[function_component(Icon)]
pub fn icon(props: &IconProps) -> Html {
    html! {
        <svg class={classes!("icon", format!("icon-{}", props.glyph.name()))} data-glyph={props.glyph.name()}
            viewBox="0 0 24 24" width={props.size.clone()} height={props.size.clone()}
            x={props.x.clone()} y={props.y.clone()}
            aria-hidden="true" focusable="false" fill="none" stroke="currentColor"
            stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round">
            { props.glyph.strokes() }
        </svg>
    }
}
