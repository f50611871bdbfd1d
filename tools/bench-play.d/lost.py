import sys, wave, numpy as np
def rd(p):
    w = wave.open(p); n = w.getnframes(); ch = w.getnchannels()
    a = np.frombuffer(w.readframes(n), dtype='<i2').astype(np.float32) / 32768
    return a.reshape(-1, ch).mean(axis=1)
ref, rec, secs, name = rd(sys.argv[1]), rd(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
R = 48000
ref = ref[: int((secs+3) * R)]
def xcorr_offset(ref, rec, at, L=R):
    seg = rec[at:at+L]
    n = 1
    while n < len(ref) + L: n *= 2
    c = np.fft.irfft(np.fft.rfft(ref, n) * np.conj(np.fft.rfft(seg, n)), n)[:len(ref)]
    pos = int(np.argmax(c))   # ref[pos:pos+L] ~ seg
    return at - pos
# align on several chunks, take the first (start) as global
offs = [xcorr_offset(ref, rec, int(t*R)) for t in (2, 5, 10) if (t+1)*R < len(rec)]
off = offs[0]
W = 4800
lost = voiced = 0
lostat = []
for w in range(0, int(secs*R) // W):
    a = ref[w*W:(w+1)*W]
    ra = np.sqrt(np.mean(a**2))
    if 20*np.log10(ra + 1e-12) < -50: continue
    s = w*W + off
    if s < 0 or s + W > len(rec): continue
    voiced += 1
    b = rec[s:s+W]; rb = np.sqrt(np.mean(b**2))
    if rb < 0.3 * ra:
        lost += 1; lostat.append(round(w*0.1,1))
print(f"{name}: offsets {offs} lost {lost}/{voiced} voiced windows at {lostat[:40]}")
