// C++ runtime: exceptions unwound through several frames by the DWARF
// unwinder (reads .eh_frame and restores callee-saved registers), destructors
// run during unwinding, rethrow, virtual calls, RTTI, static constructors and
// the standard containers and algorithms.
#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

static int failures, checks;

static void check(const char *label, long long got, long long want)
{
    checks++;
    bool ok = got == want;
    std::printf("%-40s %lld%s\n", label, got, ok ? "" : " MISMATCH");
    if (!ok) { failures++; std::printf("    expected %lld\n", want); }
}

static int live_guards;
struct Guard {
    int id;
    explicit Guard(int i) : id(i) { live_guards++; }
    ~Guard() { live_guards--; }
};

struct MyError : std::runtime_error {
    int code;
    MyError(const char *what, int c) : std::runtime_error(what), code(c) {}
};

static volatile int throw_depth = 20;

__attribute__((noinline)) static long recurse_then_throw(int depth, long acc)
{
    Guard g(depth);
    // keep values live in callee-saved registers across the call
    long a = acc * 3 + depth, b = acc ^ 0x1234, c = depth * 7;
    if (depth == throw_depth) throw MyError("deep", depth);
    long r = recurse_then_throw(depth + 1, a + b + c);
    return r + a + b + c;
}

struct Shape {
    virtual ~Shape() = default;
    virtual long area() const = 0;
    virtual const char *name() const = 0;
};
struct Rect : Shape {
    long w, h;
    Rect(long w_, long h_) : w(w_), h(h_) {}
    long area() const override { return w * h; }
    const char *name() const override { return "rect"; }
};
struct Square : Rect {
    explicit Square(long s) : Rect(s, s) {}
    const char *name() const override { return "square"; }
};
struct Tri : Shape {
    long b, h;
    Tri(long b_, long h_) : b(b_), h(h_) {}
    long area() const override { return b * h / 2; }
    const char *name() const override { return "tri"; }
};

static const int init_terms[] = {1, 2, 3, 4};
static volatile int init_scale = 1;
// dynamic initialisation: runs from .init_array before main
static int static_init_value = std::accumulate(std::begin(init_terms), std::end(init_terms), 0) * init_scale;
struct StaticCtor {
    int v;
    StaticCtor() : v(1234 * init_scale) {}
} static_ctor;

int main()
{
    check("static initializer", static_init_value, 10);
    check("static constructor", static_ctor.v, 1234);

    int caught_code = -1;
    try {
        recurse_then_throw(0, 1);
    } catch (const MyError &e) {
        caught_code = e.code;
        check("what() after unwinding", std::string(e.what()) == "deep", 1);
    }
    check("exception code from depth 20", caught_code, 20);
    check("all 21 guards destroyed", live_guards, 0);

    // rethrow and catch by base class
    int stage = 0;
    try {
        try {
            throw std::out_of_range("range");
        } catch (const std::logic_error &) {
            stage = 1;
            throw;
        }
    } catch (const std::exception &e) {
        stage = std::string(e.what()) == "range" ? 2 : 3;
    }
    check("rethrow caught by base", stage, 2);

    int ellipsis = 0;
    try { throw 42; } catch (...) { ellipsis = 1; }
    check("catch (...)", ellipsis, 1);

    // library exceptions
    std::vector<int> small(3);
    int oor = 0;
    try { (void)small.at(7); } catch (const std::out_of_range &) { oor = 1; }
    check("vector::at throws out_of_range", oor, 1);

    // virtual calls and RTTI
    std::vector<std::unique_ptr<Shape>> shapes;
    for (int i = 1; i <= 30; i++) {
        if (i % 3 == 0) shapes.push_back(std::make_unique<Square>(i));
        else if (i % 3 == 1) shapes.push_back(std::make_unique<Rect>(i, i + 1));
        else shapes.push_back(std::make_unique<Tri>(i, 2 * i));
    }
    long total = 0;
    int rects = 0, squares = 0;
    for (auto &s : shapes) {
        total += s->area();
        if (dynamic_cast<Rect *>(s.get())) rects++;
        if (dynamic_cast<Square *>(s.get())) squares++;
    }
    check("virtual area sum", total, 9600);
    check("dynamic_cast<Rect*> count", rects, 20);
    check("dynamic_cast<Square*> count", squares, 10);
    check("typeid name via virtual", std::string(shapes[2]->name()) == "square", 1);

    // containers and algorithms
    std::vector<unsigned> v(100000);
    unsigned x = 1;
    for (auto &e : v) { x = x * 1664525u + 1013904223u; e = x >> 8; }
    std::sort(v.begin(), v.end(), [](unsigned a, unsigned b) { return a > b; });
    check("sort with lambda is descending", std::is_sorted(v.rbegin(), v.rend()), 1);
    std::map<std::string, int> counts;
    const char *words[] = {"pear", "apple", "fig", "apple", "pear", "apple"};
    for (const char *w : words) counts[w]++;
    std::string joined;
    for (auto &kv : counts) joined += kv.first + "=" + std::to_string(kv.second) + ";";
    std::printf("map: %s\n", joined.c_str());
    check("map contents", joined == "apple=3;fig=1;pear=2;", 1);
    std::string s;
    for (int i = 0; i < 1000; i++) s += static_cast<char>('a' + i % 26);
    check("string find", static_cast<long long>(s.find("xyz")), 23);

    std::printf("cxx: %d checks, %s\n", checks, failures ? "FAILED" : "all passed");
    return failures ? 1 : 0;
}
