/*
 * ui.h: the touch toolkit.  It turns pointer input into tap results and a
 * list of draw commands (rectangles, text, icons); it never draws itself
 * and includes nothing of SDL.  The platform layer (platform_sdl.c) paints
 * the command list; the tests read it.
 *
 * Immediate mode, after microui: a screen calls ui_button() and friends
 * every frame with a rectangle and an id; the toolkit answers "tapped" on
 * the frame whose input released the pointer inside the widget that was
 * pressed.  The loop runs one frame per pointer event (down, up; moves are
 * coalesced), so a tap whose down and up arrive together is never lost.
 *
 * Rules the toolkit enforces for every screen:
 *   - a tap fires on release, inside the widget that was pressed, and not
 *     after the finger dragged a list (more than UI_SLOP_MM);
 *   - the pressed widget is drawn in its pressed colour;
 *   - a list follows the finger, flings with the release velocity and
 *     decelerates; while it moves, ui_wake_at() asks for the next frame.
 *
 * Time is a parameter (ui_begin's now_ms), so tests replay it.  No memory
 * is allocated: commands and their text live in fixed arrays; when they are
 * full further commands are dropped and ui->overflow is set.
 */
#ifndef GU_UI_H
#define GU_UI_H

#include <stddef.h>
#include <stdint.h>

#define UI_CMD_MAX 2048
#define UI_TEXT_MAX 65536 /* bytes of text in one frame */
#define UI_CLIP_DEPTH 8
#define UI_SLOP_MM 2.5f    /* movement before a press becomes a drag */
#define UI_MIN_TARGET_MM 9 /* smallest touch target */

struct ui_rect {
	int x, y, w, h;
};

/* Text sizes, in millimetres of line height at the configured screen. */
enum ui_font {
	UI_FONT_SMALL, /* status lines */
	UI_FONT_BODY,  /* most text, list rows */
	UI_FONT_LARGE, /* buttons, names */
	UI_FONT_HUGE,  /* the clock, the confirmation */
	UI_FONT_N
};

/* A calm palette; the platform maps these to RGB (platform_sdl.c). */
enum ui_color {
	UI_C_BG,    /* screen background */
	UI_C_PANEL, /* header band, cards */
	UI_C_TEXT,
	UI_C_MUTED,      /* secondary text */
	UI_C_BUTTON,     /* ordinary button face */
	UI_C_PRIMARY,    /* the main action */
	UI_C_ON_PRIMARY, /* text on primary / ok / danger */
	UI_C_PRESSED,    /* a pressed button's face */
	UI_C_OK,         /* done, present */
	UI_C_OK_SOFT,    /* background of a done item */
	UI_C_WARN,       /* countdown band */
	UI_C_DANGER,
	UI_C_BORDER,
	UI_C_SELECTED, /* a chosen item in a multiple choice */
	UI_C_SHADE,    /* translucent veil behind a dialog */
	UI_C_N
};

enum ui_cmd_kind {
	UI_CMD_RECT,  /* filled rectangle */
	UI_CMD_FRAME, /* rectangle outline, 'aux' pixels thick */
	UI_CMD_TEXT,  /* text in r, aligned by 'aux' (UI_ALIGN_*) */
	UI_CMD_ICON,  /* icon 'aux' (UI_ICON_*) centred in r */
	UI_CMD_CLIP   /* from here on, clip to r (w == 0: no clip) */
};

#define UI_ALIGN_LEFT 0
#define UI_ALIGN_CENTER 1
#define UI_ALIGN_RIGHT 2

/* UI_ICON_FACE_1..5: a mood face, 1 very sad .. 5 very happy, drawn in
 * the command's colour with its eyes and mouth in UI_C_TEXT, as vector
 * shapes at any size (sharp at 1920x1080 as at 1024x600). */
enum ui_icon {
	UI_ICON_CHECK,
	UI_ICON_BACK,
	UI_ICON_CROSS,
	UI_ICON_FACE_1,
	UI_ICON_FACE_5 = UI_ICON_FACE_1 + 4,
	UI_ICON_N
};

struct ui_cmd {
	uint8_t kind;  /* enum ui_cmd_kind */
	uint8_t color; /* enum ui_color */
	uint8_t font;  /* enum ui_font, for text */
	uint8_t aux;   /* align, icon or thickness */
	struct ui_rect r;
	uint32_t text_off; /* text in ui->text */
	uint32_t text_len;
	/* What the layout check (ui_check) reads; the platform ignores it. */
	uint8_t want;   /* text: the font the screen asked for */
	uint8_t tflags; /* text: UI_TEXT_* */
	uint32_t owner; /* the widget (its id) a face or label belongs to */
	uint32_t group; /* a label: its button group (ui_group_begin), 0 */
};

/*
 * Text flags (ui_text_ex).  Text is fitted into its box by the toolkit:
 * in the font asked for if it fits, else wrapped onto more lines when the
 * box is tall enough, else a size smaller: a text asked for in
 * UI_FONT_LARGE or UI_FONT_HUGE (headings, names, choices) never below
 * UI_FONT_BODY, body text never below UI_FONT_SMALL.  Only a text marked
 * UI_TEXT_TRUNCATE (a list row's detail) may be cut and ended with "…";
 * any other text that still does not fit is drawn as it is, and the
 * layout check reports it.  A line break the toolkit puts in to wrap a
 * text is '\r' in the command's text ('\n' is the text's own), so a
 * script or a test still finds the text by its words.
 */
#define UI_TEXT_TRUNCATE 1 /* one line, ended with "…" when too long */
#define UI_TEXT_CUT 2      /* set by the toolkit: it was cut with "…" */
#define UI_TEXT_NOFIT 4    /* set by the toolkit: it does not fit */

/* Pointer input, already in window pixels (the platform applies rotation
 * and calibration). */
enum ui_ev_kind { UI_EV_NONE, UI_EV_DOWN, UI_EV_MOVE, UI_EV_UP };

struct ui_event {
	enum ui_ev_kind kind;
	int x, y;
	int64_t t_ms;
};

/* A scrolling list's state; the screen owns it, zeroed to start at top. */
struct ui_scroll {
	float off;   /* pixels scrolled, 0 = top */
	float vel;   /* pixels per ms while flinging */
	int max_off; /* content height - view height, from the last frame */
	int64_t last_ms;
	float last_y;
	float drag_vel;
	int tracking; /* the finger went down in this list */
};

/*
 * Measures text of font f: sets *w, *h in pixels.  Supplied by the
 * platform (it renders and caches the text as a side effect); a null
 * front end may estimate.
 */
typedef void (*ui_measure_fn)(
    void *arg, int font, const char *text, size_t len, int *w, int *h);

struct ui {
	/* Set by ui_init. */
	int w, h;               /* window size in pixels */
	float px_per_mm;        /* physical */
	float scale;            /* sizes grow on big screens: see ui_resize */
	int font_px[UI_FONT_N]; /* em size of each font, pixels */
	ui_measure_fn measure;
	void *measure_arg;

	/* Input of this frame. */
	struct ui_event ev;
	int down;                    /* the pointer is held */
	int px, py;                  /* where it is (or was last) */
	int sx, sy;                  /* where it went down */
	int dragging;                /* moved past the slop since down */
	uint32_t active;             /* the widget pressed, 0 none */
	uint32_t active_seen;        /* active was drawn this frame */
	struct ui_scroll *drag_list; /* the list the drag moves */
	int64_t now_ms;
	int64_t wake_ms; /* earliest time a frame is wanted; 0: none */

	/* Output. */
	struct ui_cmd cmd[UI_CMD_MAX];
	size_t ncmd;
	char text[UI_TEXT_MAX];
	size_t text_len;
	int overflow;
	int small_targets; /* tap targets under UI_MIN_TARGET_MM this frame */
	/* Frames ended (ui_end) with overflow or small targets: the tests
	 * judge every frame of a scripted flow, not only its last. */
	int bad_frames;
	struct ui_rect clip[UI_CLIP_DEPTH];
	int nclip;
	int list_dy;    /* offset applied inside a list */
	uint32_t owner; /* the widget whose face and label are being drawn */
	uint32_t group; /* the button group being drawn, 0 none */
	int group_font; /* the font of every label in the group */
	int group_want; /* the font the group asked for */
};

/* Prepares ui for a window of w x h pixels at px_per_mm. */
void ui_init(
    struct ui *ui, int w, int h, float px_per_mm, ui_measure_fn fn, void *arg);
/* Changes the window size (rotation, resize). */
void ui_resize(struct ui *ui, int w, int h, float px_per_mm);

/* Starts a frame at now_ms with one input event (kind NONE for a tick). */
void ui_begin(struct ui *ui, int64_t now_ms, const struct ui_event *ev);
/* Ends the frame: forgets a press whose widget vanished. */
void ui_end(struct ui *ui);

/* A hash of the command list: the loop presents only when it changes. */
uint64_t ui_hash(const struct ui *ui);

/* Asks for a frame at t_ms at the latest (a clock, a countdown). */
void ui_wake_at(struct ui *ui, int64_t t_ms);

/* Ids: a string mixed with an index, never 0. */
uint32_t ui_id(const char *name, int64_t idx);

/* Millimetres to pixels at this screen, times ui->scale. */
int ui_mm(const struct ui *ui, float mm);

/* Drawing primitives (coordinates are window pixels). */
void ui_rect(struct ui *ui, struct ui_rect r, int color);
void ui_frame(struct ui *ui, struct ui_rect r, int color, int thick);
void ui_text(struct ui *ui, struct ui_rect r, int font, int color, int align,
    const char *text);
/* ui_text with UI_TEXT_* flags. */
void ui_text_ex(struct ui *ui, struct ui_rect r, int font, int color, int align,
    int flags, const char *text);
/*
 * The font ui_text would draw text in within box r, asked for font: the
 * largest from font down to the smallest size for it at which it fits on
 * one line or wrapped; that smallest size when none does.
 */
int ui_text_font(struct ui *ui, struct ui_rect r, int font, const char *text);
/* Whether text fits box r in font or a size down to its smallest (1 too
 * without a measure function). */
int ui_text_fits(struct ui *ui, struct ui_rect r, int font, const char *text);
/* The width of a button whose label is text in font on one line. */
int ui_button_w(struct ui *ui, int font, const char *text);
void ui_icon(struct ui *ui, struct ui_rect r, int icon, int color);
/* The largest font <= max whose rendering of text fits in w on one line,
 * never below the smallest size for max (see UI_TEXT_*). */
int ui_fit_font(struct ui *ui, int max_font, const char *text, int w);

/* Widget states for buttons. */
#define UI_BTN_NORMAL 0
#define UI_BTN_PRIMARY 1
#define UI_BTN_SELECTED 2 /* chosen in a multiple choice */
#define UI_BTN_DONE 3     /* greyed green, still tappable */
#define UI_BTN_DANGER 4
#define UI_BTN_QUIET 5 /* text only on the panel colour */

/*
 * A button: draws its face (pressed, if pressed), its label centred in
 * font, and returns 1 on the frame it is tapped.  id must be stable across
 * frames (ui_id).  Inside a list the rectangle is in content coordinates.
 */
int ui_button(struct ui *ui, uint32_t id, struct ui_rect r, int style, int font,
    const char *label);

/* A button with a main label and a smaller second line under it. */
int ui_button2(struct ui *ui, uint32_t id, struct ui_rect r, int style,
    int font, const char *label, const char *sub);

/*
 * A group of buttons whose labels are drawn in one text size (a row of
 * choices, a grid of names).  Between begin and end every ui_button of
 * the group uses the group's font: font, lowered by ui_group_fit() until
 * each label measured with it fits its button.  Call ui_group_fit for
 * every label (with the button's rectangle) before drawing the first.
 */
void ui_group_begin(struct ui *ui, uint32_t gid, int font);
void ui_group_fit(
    struct ui *ui, struct ui_rect r, const char *label, const char *sub);
void ui_group_end(struct ui *ui);

/* Plain tap area with no face (a row); returns 1 when tapped and sets
 * *pressed for drawing. */
int ui_tap(struct ui *ui, uint32_t id, struct ui_rect r, int *pressed);

/*
 * A vertical scrolling list in view r, content_h pixels high.  Between
 * begin and end every widget's y is shifted by the scroll offset and
 * clipped to r.  A drag that starts in r moves the list and cancels the
 * press; a release flings it.
 */
void ui_list_begin(
    struct ui *ui, struct ui_scroll *s, struct ui_rect r, int content_h);
void ui_list_end(struct ui *ui, struct ui_scroll *s);

/*
 * The layout check: what is wrong with the frame's command list as drawn
 * (the tests call it after every frame, at every screen size).  Only the
 * top layer is checked: the commands after the last rectangle that
 * covers the whole window (a screen's background, a dialog's veil).
 */
enum ui_problem_kind {
	UI_P_CLIPPED,  /* a text wider or taller than its box */
	UI_P_ELLIPSIS, /* a text ended with "…" that was not truncatable */
	UI_P_SMALL,    /* a text shrunk below the smallest size for it */
	UI_P_OVERLAP,  /* a text over another text or another widget */
	UI_P_GROUP     /* buttons of one group at different text sizes */
};

struct ui_problem {
	enum ui_problem_kind kind;
	size_t cmd;   /* the text's command */
	size_t other; /* the other command (overlap, group) */
};

/* Fills out with up to n problems; returns how many there are. */
size_t ui_check(struct ui *ui, struct ui_problem *out, size_t n);
/* A sentence about problem p: what, which text, where. */
void ui_problem_str(
    const struct ui *ui, const struct ui_problem *p, char *buf, size_t len);

/* Rectangle helpers: cut a slice off one side of *r and return it. */
struct ui_rect ui_cut_top(struct ui_rect *r, int h);
struct ui_rect ui_cut_bottom(struct ui_rect *r, int h);
struct ui_rect ui_cut_left(struct ui_rect *r, int w);
struct ui_rect ui_cut_right(struct ui_rect *r, int w);
struct ui_rect ui_inset(struct ui_rect r, int d);
/* Cell i of a grid of cols columns of cells cw x ch with gap g from r's
 * top left. */
struct ui_rect ui_grid_cell(
    struct ui_rect r, int cols, int cw, int ch, int g, int i);
int ui_contains(struct ui_rect r, int x, int y);

/*
 * Substitutes {1} {2} {3} in tmpl with a1..a3 (NULL: empty) into buf of
 * len bytes; always NUL-terminated, truncated at a UTF-8 boundary.
 */
void ui_fmt(char *buf, size_t len, const char *tmpl, const char *a1,
    const char *a2, const char *a3);

#endif
