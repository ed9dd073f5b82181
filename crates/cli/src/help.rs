//! What `--help` says after the options: examples and exit codes, per command. (The options
//! themselves are documented where they are declared, in `args.rs`.)

/// A command's examples, followed by the exit codes every command shares.
macro_rules! with_exit_codes {
    ($examples:literal) => {
        concat!(
            $examples,
            "

Exit codes:
  0  success (verify: every label genuine, no serial seen twice)
  1  a label was not genuine, was revoked or expired, or could not be checked; a serial was
     seen on two items (issue: a row could not be issued)
  2  the command itself failed: the message says why"
        )
    };
}

pub const MAIN: &str = concat!(
    with_exit_codes!(
        "\
Examples:
  labelcheck verify --trust trust.json 'https://verify.example/#1…'
  labelcheck verify --name \"Container 7\" --report audit.csv shipment/
  scanner-export | labelcheck verify --offline --lists lists/ -
  labelcheck completions bash > ~/.local/share/bash-completion/completions/labelcheck
  labelcheck man --out man/"
    ),
    "

Each command's --help has its own examples."
);

pub const VERIFY: &str = with_exit_codes!(
    "\
Examples:
  labelcheck verify --trust trust.json 'https://verify.example/#1…'
  labelcheck verify --json photos/*.jpg
  labelcheck verify --name \"Container 7\" --report audit.csv shipment/
  labelcheck verify --offline --lists lists/ --from scanner-log.txt
  scanner-export | labelcheck verify --json -"
);

pub const LISTS: &str = with_exit_codes!(
    "\
Examples:
  labelcheck lists --trust trust.json --out lists/
  labelcheck verify --offline --lists lists/ photos/"
);

pub const DECODE: &str = with_exit_codes!(
    "\
Examples:
  labelcheck decode photo.jpg
  labelcheck decode shelf/*.png"
);

pub const KEYGEN: &str = with_exit_codes!(
    "\
Examples:
  labelcheck keygen --kid root-1 --out root.jwk > root-1.pub.json
  labelcheck keygen --kid k1 --out 'pkcs11:token=Signing;object=k1?module-path=/usr/lib/softhsm/libsofthsm2.so'"
);

pub const KEYS: &str = with_exit_codes!(
    "\
Examples:
  labelcheck keys --input keylist.json --root root.jwk --out public/keys.jws --version 1
  labelcheck keys --input keylist.json --root root.jwk --out public/keys.jws"
);

pub const REVOKE: &str = with_exit_codes!(
    "\
Examples:
  labelcheck revoke --list public/revocations.jws --root root.jwk --new ACME
  labelcheck revoke --root root.jwk --maker Acme --model \"Cam 1\" --date 2026-12-01
  labelcheck revoke --root root.jwk --batch run-2026-12/
  labelcheck revoke --root root.jwk --key-id k1 --reason superseded
  labelcheck revoke --root root.jwk --serial ACME-00000001 --reason misuse
  labelcheck revoke --root root.jwk"
);

pub const TRUST: &str = with_exit_codes!(
    "\
Examples:
  labelcheck trust --root-key root-1.pub.json --root-key root-2.pub.json \\
    --key-list public/keys.jws --key-list-url https://reports.acme.example/keys.jws --out public/trust.json"
);

pub const SETUP: &str = with_exit_codes!(
    "\
Examples:
  labelcheck setup --out authority.json --trust public/trust.json --key-list public/keys.jws \\
    --revocations public/revocations.jws --status public/status \\
    --register private/ACME.serials --serial-prefix ACME-"
);

pub const ISSUE: &str = with_exit_codes!(
    "\
Examples:
  labelcheck issue --authority authority.json --report product.json --key k1.jwk --out-dir labels/cam-1/
  labelcheck issue --batch products.csv --defaults shared.json --key k1.jwk --out-dir run-2026-12/"
);

pub const PRINT: &str = with_exit_codes!(
    "\
Examples:
  labelcheck print --manifest run-2026-12/manifest.json --out sheets.pdf --check
  labelcheck print --manifest run-2026-12/manifest.json --out artwork/ --single"
);

pub const DEMO: &str = with_exit_codes!(
    "\
Examples:
  labelcheck demo demo/
  labelcheck demo demo/ --origin https://192.168.1.20:8443"
);

pub const QR: &str = with_exit_codes!(
    "\
Examples:
  labelcheck qr https://192.168.1.20:8443/"
);

pub const COMPLETIONS: &str = with_exit_codes!(
    "\
Examples:
  labelcheck completions bash > ~/.local/share/bash-completion/completions/labelcheck
  labelcheck completions zsh > ~/.zfunc/_labelcheck
  labelcheck completions fish > ~/.config/fish/completions/labelcheck.fish
  labelcheck completions powershell >> $PROFILE"
);

pub const MAN: &str = with_exit_codes!(
    "\
Examples:
  labelcheck man | man -l -
  labelcheck man --out /usr/local/share/man/man1/"
);
