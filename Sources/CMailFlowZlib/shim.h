#include <zlib.h>

// inflateInit2 and deflateInit2 are function-like macros (they pass ZLIB_VERSION and
// sizeof(z_stream)); Swift cannot import them, so they are wrapped here.
static inline int cmailflowzlib_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}

static inline int cmailflowzlib_deflateInit2(z_streamp strm, int level, int windowBits) {
    return deflateInit2(strm, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}
