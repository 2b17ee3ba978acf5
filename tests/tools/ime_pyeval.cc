/*
 * ime_pyeval: the measurement behind docs/ime.md's choice of pinyin
 * engine.  Built on request only (it links all three candidates):
 *
 *   make build/tools/ime_pyeval && build/tools/ime_pyeval ENGINE
 *
 * ENGINE is googlepinyin, rime (luna_pinyin_simp) or libpinyin.  Prints
 * start-up time, resident memory after start-up and after typing, the
 * taps and first-candidate share for issue 11's note, and key-to-
 * candidates time.  One engine a run, so memory figures are its own.
 *
 * The typist (the same for every engine): before typing, if the engine's
 * 联想 list after the text so far shows (first 5) a prefix of what remains,
 * tap it; otherwise type the next word's pinyin (one tap a letter), then
 * tap the first candidate that is the whole word, or else the first that
 * is a prefix of it (the rest is chosen from the candidates that follow);
 * candidate i costs i / 5 page turns.  Words: 奶奶 住院 了 孩子 这周 住在
 * 姑姑家 情况 稳定.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <algorithm>
#include <string>
#include <vector>

#include <pinyin.h>
#include <rime_api.h>
#include <pinyinime.h>

using std::string;
using std::vector;

static double
now_ms()
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long
rss_kib()
{
	FILE *f = fopen("/proc/self/status", "r");
	char l[256];
	long v = -1;
	while (f && fgets(l, sizeof l, f))
		if (strncmp(l, "VmRSS:", 6) == 0)
			v = strtol(l + 6, NULL, 10);
	if (f)
		fclose(f);
	return v;
}

struct engine {
	virtual ~engine() {}
	virtual bool open() = 0;
	/* candidates for the pinyin letters typed so far */
	virtual vector<string> search(const string &py) = 0;
	virtual vector<string> predict(const string &hist) = 0;
};

static string
u16to8(const ime_pinyin::char16 *s)
{
	string o;
	for (; *s; s++) {
		unsigned c = *s;
		if (c < 0x80)
			o += (char)c;
		else if (c < 0x800) {
			o += (char)(0xC0 | (c >> 6));
			o += (char)(0x80 | (c & 0x3F));
		} else {
			o += (char)(0xE0 | (c >> 12));
			o += (char)(0x80 | ((c >> 6) & 0x3F));
			o += (char)(0x80 | (c & 0x3F));
		}
	}
	return o;
}

static vector<ime_pinyin::char16>
u8to16(const string &s)
{
	vector<ime_pinyin::char16> o;
	for (size_t i = 0; i < s.size();) {
		unsigned char c = s[i];
		if (c < 0x80) {
			o.push_back(c);
			i++;
		} else if ((c & 0xE0) == 0xC0) {
			o.push_back(((c & 0x1F) << 6) | (s[i + 1] & 0x3F));
			i += 2;
		} else {
			o.push_back(((c & 0x0F) << 12) |
			    ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F));
			i += 3;
		}
	}
	o.push_back(0);
	return o;
}

struct gpy : engine {
	bool open() override
	{
		return ime_pinyin::im_open_decoder(
		    "/usr/lib/x86_64-linux-gnu/googlepinyin/data/"
		    "dict_pinyin.dat",
		    "/tmp/ime_pyeval.gpy.usr");
	}
	vector<string> search(const string &py) override
	{
		vector<string> v;
		ime_pinyin::im_reset_search();
		size_t n = ime_pinyin::im_search(py.c_str(), py.size());
		ime_pinyin::char16 buf[64];
		for (size_t i = 0; i < n && i < 60; i++)
			if (ime_pinyin::im_get_candidate(i, buf, 63))
				v.push_back(u16to8(buf));
		return v;
	}
	vector<string> predict(const string &hist) override
	{
		vector<string> v;
		ime_pinyin::char16(*pre)[ime_pinyin::kMaxPredictSize + 1];
		vector<ime_pinyin::char16> h = u8to16(hist);
		size_t n = ime_pinyin::im_get_predicts(h.data(), pre);
		for (size_t i = 0; i < n && i < 10; i++)
			v.push_back(u16to8(pre[i]));
		return v;
	}
};

struct rime : engine {
	RimeApi *api = nullptr;
	RimeSessionId s = 0;
	bool open() override
	{
		api = rime_get_api();
		RIME_STRUCT(RimeTraits, t);
		t.shared_data_dir = "/usr/share/rime-data";
		t.user_data_dir = "/tmp/ime_pyeval.rime";
		t.app_name = "rime.guanai";
		api->setup(&t);
		api->initialize(&t);
		api->start_maintenance(False);
		api->join_maintenance_thread();
		s = api->create_session();
		return s != 0 && api->select_schema(s, "luna_pinyin_simp");
	}
	vector<string> search(const string &py) override
	{
		vector<string> v;
		api->clear_composition(s);
		api->simulate_key_sequence(s, py.c_str());
		RimeCandidateListIterator it = {};
		if (api->candidate_list_begin(s, &it)) {
			while (v.size() < 60 && api->candidate_list_next(&it))
				v.push_back(it.candidate.text);
			api->candidate_list_end(&it);
		}
		return v;
	}
	vector<string> predict(const string &) override { return {}; }
};

struct lpy : engine {
	pinyin_context_t *ctx = nullptr;
	pinyin_instance_t *in = nullptr;
	bool open() override
	{
		system("mkdir -p /tmp/ime_pyeval.lpy");
		ctx = pinyin_init("/usr/lib/x86_64-linux-gnu/libpinyin/data",
		    "/tmp/ime_pyeval.lpy");
		if (!ctx)
			return false;
		in = pinyin_alloc_instance(ctx);
		return in != nullptr;
	}
	vector<string> take()
	{
		vector<string> v;
		guint n = 0;
		pinyin_get_n_candidate(in, &n);
		for (guint i = 0; i < n && i < 60; i++) {
			lookup_candidate_t *c;
			const gchar *str;
			pinyin_get_candidate(in, i, &c);
			pinyin_get_candidate_string(in, c, &str);
			v.push_back(str);
		}
		return v;
	}
	vector<string> search(const string &py) override
	{
		pinyin_parse_more_full_pinyins(in, py.c_str());
		pinyin_guess_sentence(in);
		pinyin_guess_candidates(in, 0,
		    SORT_BY_PHRASE_LENGTH_AND_PINYIN_LENGTH_AND_FREQUENCY);
		return take();
	}
	vector<string> predict(const string &hist) override
	{
		pinyin_guess_predicted_candidates(in, hist.c_str());
		vector<string> v = take();
		if (v.size() > 10)
			v.resize(10);
		return v;
	}
};

static size_t
u8len(const string &s)
{
	size_t n = 0;
	for (unsigned char c : s)
		n += (c & 0xC0) != 0x80;
	return n;
}

int
main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	string name = argv[1];
	engine *e = name == "googlepinyin" ? (engine *)new gpy
	    : name == "rime"               ? (engine *)new rime
	    : name == "libpinyin"          ? (engine *)new lpy
					   : nullptr;
	if (!e)
		return 2;
	long rss0 = rss_kib();
	double t0 = now_ms();
	if (!e->open()) {
		fprintf(stderr, "ime_pyeval: %s does not open\n", argv[1]);
		return 1;
	}
	double t1 = now_ms();
	long rss1 = rss_kib();
	const char *wz[] = {"奶奶", "住院", "了", "孩子", "这周", "住在",
	    "姑姑家", "情况", "稳定"};
	const char *wp[][4] = {{"nai", "nai"}, {"zhu", "yuan"}, {"le"},
	    {"hai", "zi"}, {"zhe", "zhou"}, {"zhu", "zai"},
	    {"gu", "gu", "jia"}, {"qing", "kuang"}, {"wen", "ding"}};
	string target, done;
	for (auto w : wz)
		target += w;
	int taps = 0, first = 0;
	vector<double> lat;
	size_t wi = 0, wsyl = 0; /* word, syllables of it done */
	while (done.size() < target.size()) {
		string rest = target.substr(done.size());
		bool hit = false;
		if (!done.empty() && wsyl == 0) {
			vector<string> p = e->predict(done);
			for (size_t i = 0; i < p.size() && i < 5; i++) {
				if (!p[i].empty() && rest.compare(0,
				    p[i].size(), p[i]) == 0 &&
				    p[i].size() <= strlen(wz[wi])) {
					taps++;
					if (i == 0)
						first += u8len(p[i]);
					done += p[i];
					if (p[i].size() == strlen(wz[wi]))
						wi++;
					else
						wsyl = u8len(p[i]);
					hit = true;
					break;
				}
			}
		}
		if (hit)
			continue;
		/* type the rest of this word letter by letter */
		string py;
		for (size_t k = wsyl; k < 4 && wp[wi][k]; k++)
			py += wp[wi][k];
		vector<string> c;
		for (size_t k = 1; k <= py.size(); k++) {
			double a = now_ms();
			c = e->search(py.substr(0, k));
			lat.push_back(now_ms() - a);
		}
		if (wsyl == 0)
			taps += py.size();
		size_t before = 0;
		for (size_t k = 0; k < wi; k++)
			before += strlen(wz[k]);
		string word = string(wz[wi]).substr(done.size() - before);
		int pick = -1;
		for (size_t i = 0; i < c.size(); i++)
			if (c[i] == word) { pick = i; break; }
		if (pick < 0)
			for (size_t i = 0; i < c.size(); i++)
				if (!c[i].empty() &&
				    word.compare(0, c[i].size(), c[i]) == 0) {
					pick = i;
					break;
				}
		if (pick < 0) {
			printf("%s: '%s' not among %zu candidates\n", argv[1],
			    word.c_str(), c.size());
			return 1;
		}
		taps += 1 + pick / 5;
		if (pick == 0)
			first += u8len(c[pick]);
		done += c[pick];
		if (c[pick] == word) {
			wi++;
			wsyl = 0;
		} else {
			wsyl += u8len(c[pick]);
		}
	}
	long rss2 = rss_kib();
	std::sort(lat.begin(), lat.end());
	printf("%-12s start %.1f ms  RSS +%ld KiB after start, +%ld KiB "
	       "after the note  taps %d  first-candidate %d/%zu  "
	       "key p50 %.2f ms p99 %.2f ms max %.2f\n",
	    argv[1], t1 - t0, rss1 - rss0, rss2 - rss0, taps, first,
	    u8len(target), lat[lat.size() / 2],
	    lat[(size_t)(lat.size() * 0.99)], lat.back());
	return 0;
}
