#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| labelcheck_fuzz::label(data));
