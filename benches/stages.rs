//! Micro-benchmarks of each pipeline stage on the shipped default models (`cargo bench`), for
//! measuring a change to one stage; `bench/run.sh` measures the whole binary against the peers.
//!
//! The input is `benches/fixtures/news.txt` (a made-up wire story, 2.6 kB, no real quotes); with the shared data
//! (`$WHOSAID_DATA` or `../shared/data`), `classify/polnear_train_50` also runs on the first 50
//! PolNeAR train articles.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::path::PathBuf;
use whosaid::attribution::AttributionModel;
use whosaid::pipeline::ClassifyOptions;
use whosaid::segment::SentenceSplitter;
use whosaid::{Pipeline, StanceModel, StanceScope};

const NEWS: &str = include_str!("fixtures/news.txt");

fn polnear_articles(n: usize) -> Option<Vec<String>> {
    let data = std::env::var_os("WHOSAID_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    let mut paths: Vec<PathBuf> = std::fs::read_dir(data.join("polnear/train/text"))
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    let texts: Vec<String> = paths
        .iter()
        .take(n)
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    (!texts.is_empty()).then_some(texts)
}

fn load(c: &mut Criterion) {
    let mut g = c.benchmark_group("load");
    g.sample_size(20);
    g.bench_function("stance_model", |b| {
        b.iter(|| StanceModel::embedded().unwrap())
    });
    g.bench_function("attribution_model", |b| {
        b.iter(|| AttributionModel::embedded().unwrap())
    });
    g.finish();
}

fn stages(c: &mut Criterion) {
    let stance = StanceModel::embedded().unwrap();
    let attribution = AttributionModel::embedded().unwrap();
    let splitter = SentenceSplitter::new();
    let sentences: Vec<&str> = splitter.split(NEWS).iter().map(|s| s.text(NEWS)).collect();

    let mut g = c.benchmark_group("stages");
    g.throughput(Throughput::Bytes(NEWS.len() as u64));
    g.bench_function("tokenize", |b| {
        let mut tokens = Vec::new();
        b.iter(|| {
            stance
                .tokenizer()
                .tokenize_into(black_box(NEWS), &mut tokens)
        })
    });
    g.bench_function("segment", |b| b.iter(|| splitter.split(black_box(NEWS))));
    g.bench_function("attribution", |b| {
        b.iter(|| {
            let doc = attribution.view(black_box(NEWS));
            attribution.predict(&doc)
        })
    });
    g.throughput(Throughput::Elements(2 * sentences.len() as u64));
    g.bench_function("stance_per_sentence_2_targets", |b| {
        b.iter(|| {
            for s in &sentences {
                for t in ["Russia", "Ukraine"] {
                    black_box(stance.predict(s, t, None, 0).unwrap());
                }
            }
        })
    });
    g.finish();
}

fn classify(c: &mut Criterion) {
    let pipeline = Pipeline::embedded().unwrap();
    let opts = ClassifyOptions {
        stance_scope: StanceScope::All,
        ..ClassifyOptions::default()
    };
    let mut g = c.benchmark_group("classify");
    g.throughput(Throughput::Bytes(NEWS.len() as u64));
    g.bench_function("news", |b| {
        b.iter(|| pipeline.classify_with(black_box(NEWS), &opts))
    });
    if let Some(texts) = polnear_articles(50) {
        let bytes: usize = texts.iter().map(String::len).sum();
        g.throughput(Throughput::Bytes(bytes as u64));
        g.sample_size(10);
        g.bench_with_input(
            BenchmarkId::new("polnear_train", texts.len()),
            &texts,
            |b, texts| {
                b.iter(|| {
                    for t in texts {
                        black_box(pipeline.classify_with(t, &opts));
                    }
                })
            },
        );
    }
    g.finish();
}

criterion_group!(benches, load, stages, classify);
criterion_main!(benches);
