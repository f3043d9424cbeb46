//! Streaming with bounded memory: input read in chunks, chunks processed in parallel, results
//! written in input order.
//!
//! [`ordered`] runs three kinds of threads: one reads chunks (the `read` closure), `jobs`
//! workers process them (`work`), and the calling thread writes the results in input order
//! (`write`). No more than [`Limits::chunks`] chunks, and no more than [`Limits::bytes`] of input
//! (plus the one chunk being read), are ever read but not yet written, whatever the input's size:
//! the reader waits for the writer. There is no barrier between chunks: while one chunk is slow,
//! the other workers go on with the next ones.
//!
//! [`LineChunks`] cuts a byte stream into chunks of whole lines, for JSON Lines input.

use std::collections::{BTreeMap, VecDeque};
use std::io::{BufRead, BufReader, Read};
use std::ops::Range;
use std::sync::{Condvar, Mutex, MutexGuard};

/// Bounds of [`ordered`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Worker threads (at least 1).
    pub jobs: usize,
    /// Chunks read and not yet written, at most (at least 1).
    pub chunks: usize,
    /// Weight (input bytes) of the chunks read and not yet written, at most; a chunk is always
    /// read when nothing is in flight, so one chunk larger than this still goes through.
    pub bytes: usize,
}

impl Limits {
    /// `jobs` workers, `4 * jobs` chunks and 64 MB in flight.
    pub fn for_jobs(jobs: usize) -> Self {
        let jobs = jobs.max(1);
        Limits {
            jobs,
            chunks: 4 * jobs,
            bytes: 64 << 20,
        }
    }
}

/// The worker count when none is given: `RAYON_NUM_THREADS` if it is set to a positive number,
/// else the number of cores.
pub fn default_jobs() -> usize {
    std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

struct State<I, O, E> {
    /// Chunks read, waiting for a worker, with their sequence numbers.
    todo: VecDeque<(u64, I)>,
    /// Results waiting for their turn to be written.
    done: BTreeMap<u64, O>,
    /// The weight of every chunk read and not yet written, in input order.
    weights: VecDeque<usize>,
    /// Their sum.
    bytes: usize,
    /// Chunks read so far.
    read: u64,
    /// Set by the reader when it is done, at the end of the input or on an error.
    ended: bool,
    /// The reader's error.
    error: Option<E>,
    /// Set when the writer failed or a thread panicked: every thread stops.
    stop: bool,
}

struct Shared<I, O, E> {
    state: Mutex<State<I, O, E>>,
    reader: Condvar,
    workers: Condvar,
    writer: Condvar,
}

impl<I, O, E> Shared<I, O, E> {
    fn lock(&self) -> MutexGuard<'_, State<I, O, E>> {
        // A thread that panicked while holding the lock left consistent state (every update is
        // a single step), and `stop` is set by its guard.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn wait<'a>(
        &self,
        cv: &Condvar,
        g: MutexGuard<'a, State<I, O, E>>,
    ) -> MutexGuard<'a, State<I, O, E>> {
        cv.wait(g).unwrap_or_else(|e| e.into_inner())
    }

    fn stop_all(&self) {
        self.lock().stop = true;
        self.reader.notify_all();
        self.workers.notify_all();
        self.writer.notify_all();
    }
}

/// Stops every thread when the thread holding it unwinds (a panic), so that none waits forever.
struct StopOnPanic<'a, I, O, E>(&'a Shared<I, O, E>);

impl<I, O, E> Drop for StopOnPanic<'_, I, O, E> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop_all();
        }
    }
}

/// Reads chunks with `read` (on a reader thread) until it gives `None`, processes each with
/// `work` (on `limits.jobs` worker threads) and hands the results to `write` (on the calling
/// thread) in the order the chunks were read. `read` gives each chunk with its weight (its size
/// in bytes) for [`Limits::bytes`].
///
/// Every chunk read before an error of `read` is written before that error is returned. An
/// error of `write` stops the reader and the workers (after the chunks they are busy with) and
/// is returned. A panic in any closure stops the others and is resumed on the calling thread.
pub fn ordered<I, O, E>(
    limits: &Limits,
    mut read: impl FnMut() -> Result<Option<(I, usize)>, E> + Send,
    work: impl Fn(I) -> O + Sync,
    mut write: impl FnMut(O) -> Result<(), E>,
) -> Result<(), E>
where
    I: Send,
    O: Send,
    E: Send,
{
    let max_chunks = limits.chunks.max(1);
    let shared = Shared {
        state: Mutex::new(State {
            todo: VecDeque::new(),
            done: BTreeMap::new(),
            weights: VecDeque::new(),
            bytes: 0,
            read: 0,
            ended: false,
            error: None,
            stop: false,
        }),
        reader: Condvar::new(),
        workers: Condvar::new(),
        writer: Condvar::new(),
    };
    let shared = &shared;
    let work = &work;
    std::thread::scope(|scope| {
        let mut threads = Vec::with_capacity(limits.jobs.max(1) + 1);
        threads.push(scope.spawn(move || {
            let _guard = StopOnPanic(shared);
            loop {
                {
                    let mut s = shared.lock();
                    while !s.stop
                        && (s.weights.len() >= max_chunks
                            || (!s.weights.is_empty() && s.bytes >= limits.bytes))
                    {
                        s = shared.wait(&shared.reader, s);
                    }
                    if s.stop {
                        return;
                    }
                }
                let next = read();
                let mut s = shared.lock();
                match next {
                    Ok(Some((item, weight))) => {
                        let seq = s.read;
                        s.read += 1;
                        s.weights.push_back(weight);
                        s.bytes += weight;
                        s.todo.push_back((seq, item));
                        drop(s);
                        shared.workers.notify_one();
                    }
                    Ok(None) => {
                        s.ended = true;
                        drop(s);
                        shared.workers.notify_all();
                        shared.writer.notify_all();
                        return;
                    }
                    Err(e) => {
                        s.ended = true;
                        s.error = Some(e);
                        drop(s);
                        shared.workers.notify_all();
                        shared.writer.notify_all();
                        return;
                    }
                }
            }
        }));
        for _ in 0..limits.jobs.max(1) {
            threads.push(scope.spawn(move || {
                let _guard = StopOnPanic(shared);
                loop {
                    let (seq, item) = {
                        let mut s = shared.lock();
                        loop {
                            if s.stop {
                                return;
                            }
                            if let Some(x) = s.todo.pop_front() {
                                break x;
                            }
                            if s.ended {
                                return;
                            }
                            s = shared.wait(&shared.workers, s);
                        }
                    };
                    let out = work(item);
                    shared.lock().done.insert(seq, out);
                    shared.writer.notify_one();
                }
            }));
        }

        // The writer, on this thread.
        let guard = StopOnPanic(shared);
        let mut next = 0u64;
        let result = loop {
            let out = {
                let mut s = shared.lock();
                loop {
                    if s.stop {
                        // A thread panicked; the scope resumes its panic.
                        break None;
                    }
                    if let Some(o) = s.done.remove(&next) {
                        break Some(o);
                    }
                    if s.ended && next == s.read {
                        break None;
                    }
                    s = shared.wait(&shared.writer, s);
                }
            };
            let Some(out) = out else {
                break shared.lock().error.take().map_or(Ok(()), Err);
            };
            if let Err(e) = write(out) {
                shared.stop_all();
                break Err(e);
            }
            next += 1;
            let mut s = shared.lock();
            let w = s.weights.pop_front().unwrap_or(0);
            s.bytes -= w;
            drop(s);
            shared.reader.notify_one();
        };
        drop(guard);
        // A thread's panic is resumed here, with its own message.
        for t in threads {
            if let Err(panic) = t.join() {
                std::panic::resume_unwind(panic);
            }
        }
        result
    })
}

/// Bytes a [`LineChunk`]'s buffer holds beyond its target size when it is made: room for the
/// line that crosses the target (a longer one grows the buffer).
const CHUNK_SLACK: usize = 4 << 10;

/// A chunk of whole lines of a byte stream: the bytes, and each line's number (1-based) and
/// range in them. Lines do not include their `\n`, nor a `\r` before it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineChunk {
    /// The lines' bytes.
    pub buf: Vec<u8>,
    /// Each line: its number in the stream and its byte range in `buf`.
    pub lines: Vec<(usize, Range<usize>)>,
}

impl LineChunk {
    /// The lines, with their numbers.
    pub fn iter(&self) -> impl Iterator<Item = (usize, &[u8])> {
        self.lines.iter().map(|(n, r)| (*n, &self.buf[r.clone()]))
    }
}

/// Cuts a byte stream into [`LineChunk`]s of about `target` bytes: a chunk ends at the first
/// line end after `target` bytes, or, so that a slow producer's lines are not held back, at a
/// line end where everything read so far is used up. A single line is never cut, so a chunk is
/// as large as its longest line.
pub struct LineChunks<R> {
    inner: BufReader<R>,
    target: usize,
    line: usize,
}

impl<R: Read> LineChunks<R> {
    /// Chunks of about `target` bytes from `reader` (read through a 256 KiB buffer).
    pub fn new(reader: R, target: usize) -> Self {
        LineChunks {
            inner: BufReader::with_capacity(256 << 10, reader),
            target: target.max(1),
            line: 0,
        }
    }

    /// The next chunk, `None` at the end of the stream.
    pub fn next_chunk(&mut self) -> std::io::Result<Option<LineChunk>> {
        // Room for a whole chunk at once (it ends with the first line past `target`): growing
        // the buffer by doubling copied each chunk's bytes about once more.
        let mut chunk = LineChunk {
            buf: Vec::with_capacity(self.target.saturating_add(CHUNK_SLACK)),
            lines: Vec::new(),
        };
        loop {
            let start = chunk.buf.len();
            let n = read_until_newline(&mut self.inner, &mut chunk.buf)?;
            if n == 0 {
                break;
            }
            self.line += 1;
            let mut end = chunk.buf.len();
            if chunk.buf[end - 1] == b'\n' {
                end -= 1;
                if end > start && chunk.buf[end - 1] == b'\r' {
                    end -= 1;
                }
            }
            chunk.lines.push((self.line, start..end));
            if chunk.buf.len() >= self.target || self.inner.buffer().is_empty() {
                break;
            }
        }
        Ok((!chunk.lines.is_empty()).then_some(chunk))
    }
}

/// [`BufRead::read_until`] with `\n`, the newline found by `memchr` (several bytes a step
/// where std's generic search takes one word).
fn read_until_newline(r: &mut impl BufRead, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    let mut read = 0;
    loop {
        let (done, used) = {
            let available = match r.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            match memchr::memchr(b'\n', available) {
                Some(i) => {
                    buf.extend_from_slice(&available[..=i]);
                    (true, i + 1)
                }
                None => {
                    buf.extend_from_slice(available);
                    (false, available.len())
                }
            }
        };
        r.consume(used);
        read += used;
        if done || used == 0 {
            return Ok(read);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn spin(n: u64) -> u64 {
        (0..n).fold(0u64, |a, i| a.wrapping_mul(31).wrapping_add(i))
    }

    #[test]
    fn read_until_newline_reads_as_read_until() {
        // Lines longer and shorter than the reader's buffer, with and without a last newline.
        for text in [
            &b""[..],
            b"\n",
            b"blorf\nquax zim\r\n\nvelt",
            b"a much longer line than the buffer of seven\nand one more\n",
        ] {
            let mut ours = std::io::BufReader::with_capacity(7, text);
            let mut std_ = std::io::BufReader::with_capacity(7, text);
            loop {
                let (mut a, mut b) = (Vec::new(), Vec::new());
                let n = read_until_newline(&mut ours, &mut a).unwrap();
                let m = std_.read_until(b'\n', &mut b).unwrap();
                assert_eq!((n, &a), (m, &b));
                if n == 0 {
                    break;
                }
            }
        }
    }

    #[test]
    fn results_come_in_input_order() {
        for jobs in [1, 2, 5] {
            let limits = Limits {
                jobs,
                chunks: 3,
                bytes: 1 << 20,
            };
            let mut i = 0u64;
            let mut got = Vec::new();
            let r: Result<(), ()> = ordered(
                &limits,
                || {
                    i += 1;
                    Ok((i <= 200).then_some((i, 1)))
                },
                |x| {
                    // Uneven work, so that workers finish out of order.
                    std::hint::black_box(spin((x * 7919) % 97 * 200));
                    x * 10
                },
                |y| {
                    got.push(y);
                    Ok(())
                },
            );
            assert_eq!(r, Ok(()));
            assert_eq!(got, (1..=200).map(|x| x * 10).collect::<Vec<_>>());
        }
    }

    /// The bound: an endless input is read only as far as the writer has come, plus the chunks
    /// in flight; output starts long before the input ends.
    #[test]
    fn an_endless_input_is_read_only_a_bounded_way_ahead_of_the_output() {
        for (jobs, chunks) in [(1, 1), (2, 8), (3, 4)] {
            let limits = Limits {
                jobs,
                chunks,
                bytes: usize::MAX,
            };
            let read = AtomicUsize::new(0);
            let mut written = 0usize;
            let mut ahead = 0usize;
            let r = ordered(
                &limits,
                || Ok(Some((read.fetch_add(1, Ordering::SeqCst), 1))),
                |x| x,
                |x| {
                    assert_eq!(x, written);
                    written += 1;
                    ahead = ahead.max(read.load(Ordering::SeqCst) - written);
                    if written == 10_000 {
                        Err("enough")
                    } else {
                        Ok(())
                    }
                },
            );
            assert_eq!(r, Err("enough"));
            assert!(ahead < chunks, "{ahead} chunks ahead, limit {chunks}");
            // The reader stops once the writer has stopped.
            assert!(read.load(Ordering::SeqCst) <= 10_000 + chunks);
        }
    }

    #[test]
    fn bytes_in_flight_are_bounded_but_a_large_chunk_goes_through() {
        let limits = Limits {
            jobs: 2,
            chunks: 100,
            bytes: 1000,
        };
        let in_flight = AtomicUsize::new(0);
        let mut max = 0;
        let mut n = 0usize;
        let mut seen = Vec::new();
        let r: Result<(), ()> = ordered(
            &limits,
            || {
                n += 1;
                if n > 100 {
                    return Ok(None);
                }
                // Every tenth chunk is larger than the whole bound.
                let w = if n.is_multiple_of(10) { 5000 } else { 300 };
                let now = in_flight.fetch_add(w, Ordering::SeqCst) + w;
                max = max.max(now);
                Ok(Some((w, w)))
            },
            |w| w,
            |w| {
                in_flight.fetch_sub(w, Ordering::SeqCst);
                seen.push(w);
                Ok(())
            },
        );
        assert_eq!(r, Ok(()));
        assert_eq!(seen.len(), 100);
        // At most the bound, plus the chunk read when the bound was not yet reached.
        assert!(max < 1000 + 5000, "{max}");
    }

    #[test]
    fn a_read_error_comes_after_everything_read_before_it() {
        let mut n = 0;
        let mut got = Vec::new();
        let r = ordered(
            &Limits::for_jobs(2),
            || {
                n += 1;
                if n == 50 {
                    Err("read failed")
                } else {
                    Ok(Some((n, 1)))
                }
            },
            |x| x,
            |x| {
                got.push(x);
                Ok(())
            },
        );
        assert_eq!(r, Err("read failed"));
        assert_eq!(got, (1..50).collect::<Vec<_>>());
    }

    #[test]
    fn empty_input_writes_nothing() {
        let r: Result<(), ()> = ordered(
            &Limits::for_jobs(3),
            || Ok(None::<(u8, usize)>),
            |x| x,
            |_| panic!("nothing to write"),
        );
        assert_eq!(r, Ok(()));
    }

    #[test]
    #[should_panic(expected = "worker failed")]
    fn a_worker_panic_reaches_the_caller_without_a_hang() {
        let mut n = 0;
        let _: Result<(), ()> = ordered(
            &Limits::for_jobs(2),
            || {
                n += 1;
                Ok(Some((n, 1)))
            },
            |x| {
                if x == 7 {
                    panic!("worker failed");
                }
                x
            },
            |_| Ok(()),
        );
    }

    #[test]
    fn line_chunks_keep_every_line_with_its_number() {
        let text = b"a\r\n\n{\"x\": 1}\nlast without newline";
        for target in [1, 4, 1000] {
            let mut chunks = LineChunks::new(&text[..], target);
            let mut lines = Vec::new();
            while let Some(c) = chunks.next_chunk().unwrap() {
                assert!(!c.lines.is_empty());
                for (n, l) in c.iter() {
                    lines.push((n, l.to_vec()));
                }
            }
            assert_eq!(
                lines,
                vec![
                    (1, b"a".to_vec()),
                    (2, b"".to_vec()),
                    (3, b"{\"x\": 1}".to_vec()),
                    (4, b"last without newline".to_vec()),
                ]
            );
        }
        assert_eq!(LineChunks::new(&b""[..], 10).next_chunk().unwrap(), None);
    }

    #[test]
    fn line_chunks_are_about_the_target_size() {
        let line = [b'x'; 99];
        let text: Vec<u8> = (0..1000)
            .flat_map(|_| line.iter().chain(b"\n"))
            .copied()
            .collect();
        let mut chunks = LineChunks::new(&text[..], 1000);
        let mut sizes = Vec::new();
        while let Some(c) = chunks.next_chunk().unwrap() {
            sizes.push(c.lines.len());
        }
        assert_eq!(sizes.iter().sum::<usize>(), 1000);
        assert!(sizes.iter().all(|&n| n <= 10), "{sizes:?}");
        // Mostly full chunks: only where the 256 KiB read buffer runs dry is one cut short.
        assert!(
            sizes.iter().filter(|&&n| n == 10).count() >= 95,
            "{sizes:?}"
        );
    }

    /// A slow producer: what it has written so far comes out as a chunk without waiting for the
    /// chunk to fill.
    #[test]
    fn line_chunks_do_not_wait_for_more_input_than_is_there() {
        struct Trickle(Vec<Vec<u8>>);
        impl Read for Trickle {
            fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
                // One line per read, as from a pipe fed line by line.
                match self.0.first_mut() {
                    None => Ok(0),
                    Some(l) => {
                        let n = l.len().min(out.len());
                        out[..n].copy_from_slice(&l[..n]);
                        l.drain(..n);
                        if l.is_empty() {
                            self.0.remove(0);
                        }
                        Ok(n)
                    }
                }
            }
        }
        let mut chunks =
            LineChunks::new(Trickle(vec![b"one\n".to_vec(), b"two\n".to_vec()]), 1 << 20);
        assert_eq!(chunks.next_chunk().unwrap().unwrap().lines, vec![(1, 0..3)]);
        assert_eq!(chunks.next_chunk().unwrap().unwrap().lines, vec![(2, 0..3)]);
        assert_eq!(chunks.next_chunk().unwrap(), None);
    }
}
