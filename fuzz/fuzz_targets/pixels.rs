#![no_main]

libfuzzer_sys::fuzz_target!(
    init: labelcheck_fuzz::abort_on_panics_but_the_decoders(),
    |data: &[u8]| labelcheck_fuzz::pixels(data)
);
