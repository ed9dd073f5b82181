use crate::i18n::{say, Lang, Msg};
use labelcheck_core::Arg;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StarsProps {
    pub level: u8,
    pub max: u8,
    /// Drawn small: a level the label claims but that is not confirmed.
    #[prop_or_default]
    pub small: bool,
}

/// A star level, with its text alternative in words.
#[function_component(Stars)]
pub fn stars(props: &StarsProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::EN);
    let max = props.max.max(props.level);
    let label = say(
        lang,
        Msg::StarsOf,
        &[
            ("level", Arg::Text(props.level.to_string())),
            ("max", Arg::Text(max.to_string())),
        ],
    );
    html! {
        <div class={classes!("stars", props.small.then_some("small"))} role="img" aria-label={label}>
            { for (0..max).map(|i| html! {
                <span class={classes!("star", (i < props.level).then_some("on"))} aria-hidden="true">
                    { if i < props.level { "★" } else { "☆" } }
                </span>
            }) }
        </div>
    }
}
