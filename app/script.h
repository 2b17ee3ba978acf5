/*
 * script.h: touch scripts for headless runs (tests, screenshots, the
 * benchmark).  The platform replays them through SDL's own event queue;
 * this module only parses.
 *
 * Grammar, one step a line ('#' starts a comment line):
 *
 *   wait MS              let MS milliseconds of virtual time pass
 *   tap X Y              press and release at window pixel X Y
 *   tap-text TEXT        tap the middle of the first text TEXT on screen
 *   tap-nth N TEXT       ... of its N-th occurrence (1 is the first)
 *   tap-after N TEXT     ... of the N-th text drawn after TEXT (the first
 *                        name under a heading, whatever the roster)
 *   click X Y            press and release the (real) mouse at X Y
 *   tap-dup X Y          a finger tap plus the mouse events SDL makes
 *                        from it (which: SDL_TOUCH_MOUSEID): the kiosk
 *                        must count it once
 *   down X Y | move X Y | up X Y
 *   drag X1 Y1 X2 Y2 MS  press, move in 16 ms steps over MS, release
 *   shot NAME            write NAME.png into the shot directory
 *   expect TEXT          fail unless TEXT is on screen
 *   expect-not TEXT      fail if TEXT is on screen
 *   expect-part TEXT     fail unless a text on screen holds TEXT (for a
 *                        line that wraps into several texts at one size
 *                        and is one at another)
 *   live                 stop replaying: from here on the kiosk runs on
 *                        real time and real input until it is closed
 *                        (bench/kiosk.sh opens a screen so, then times
 *                        it from outside)
 *   quit                 end the run (so does the end of the script)
 *
 * A tap takes 80 ms of virtual time and is followed by 300 ms more.
 */
#ifndef GU_SCRIPT_H
#define GU_SCRIPT_H

#include <stddef.h>

#define SCRIPT_MAX 4096
#define SCRIPT_TEXT 128

enum script_op {
	SC_WAIT,
	SC_TAP,
	SC_TAP_TEXT,
	SC_CLICK,
	SC_TAP_DUP,
	SC_DOWN,
	SC_MOVE,
	SC_UP,
	SC_DRAG,
	SC_SHOT,
	SC_EXPECT,
	SC_EXPECT_NOT,
	SC_EXPECT_PART,
	SC_LIVE,
	SC_QUIT
};

struct script_step {
	enum script_op op;
	int x, y, x2, y2, ms, nth;
	int after; /* tap-after: nth counts texts after this one */
	int line;
	char text[SCRIPT_TEXT];
};

struct script {
	struct script_step *step; /* owned */
	size_t n;
	char path[256];
};

/*
 * Reads the script at path.  GU_EINVAL with "path:line: why" in err on a
 * bad line, GU_EIO if unreadable, GU_ENOMEM.  On success free it with
 * script_free().
 */
int script_load(struct script *s, const char *path, char *err, size_t len);
void script_free(struct script *s);

#endif
