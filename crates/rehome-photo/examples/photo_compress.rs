//! `photo_compress IN OUT_DIR`: run the pipeline once with default settings and
//! write photo.jpg and thumb.jpg. Used by bench/run.sh (timed with /usr/bin/time).

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(input), Some(out)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: photo_compress IN OUT_DIR");
        return std::process::ExitCode::from(2);
    };
    let data = match std::fs::read(input) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{input}: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    match rehome_photo::compress(&data, &Default::default(), &Default::default()) {
        Ok(c) => {
            let out = std::path::Path::new(out);
            for (name, e) in [("photo.jpg", &c.photo), ("thumb.jpg", &c.thumb)] {
                if let Err(err) = std::fs::write(out.join(name), &e.jpeg) {
                    eprintln!("{name}: {err}");
                    return std::process::ExitCode::from(2);
                }
                println!(
                    "{name} {}x{} {} bytes {}",
                    e.width,
                    e.height,
                    e.jpeg.len(),
                    e.sha256_hex()
                );
            }
            println!("source {:?}", c.source);
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}: {e}", e.code());
            std::process::ExitCode::FAILURE
        }
    }
}
