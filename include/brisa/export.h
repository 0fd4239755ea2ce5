// SPDX-License-Identifier: MIT
/**
 * @file export.h
 * Linkage of the public API: which symbols a shared brisa library exports,
 * and C linkage for C++ callers.
 *
 * The shared libraries are built with -fvisibility=hidden, so only what a
 * public header declares between BRISA_BEGIN_DECLS and BRISA_END_DECLS (or
 * marks BRISA_API) is visible to programs; internal helpers stay private.
 */
#ifndef BRISA_EXPORT_H
#define BRISA_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
/** Exports one declaration from a shared brisa library. */
#define BRISA_API __attribute__((visibility("default")))
/** Starts a run of declarations exported from a shared library. */
#define BRISA_VISIBILITY_PUSH _Pragma("GCC visibility push(default)")
/** Ends a run started by BRISA_VISIBILITY_PUSH. */
#define BRISA_VISIBILITY_POP _Pragma("GCC visibility pop")
#else
#define BRISA_API
#define BRISA_VISIBILITY_PUSH
#define BRISA_VISIBILITY_POP
#endif

/** @def BRISA_BEGIN_DECLS
 *  Opens a block of public declarations: exported, with C linkage. */
/** @def BRISA_END_DECLS
 *  Closes a block opened by BRISA_BEGIN_DECLS. */

#ifdef __cplusplus
#define BRISA_BEGIN_DECLS extern "C" { BRISA_VISIBILITY_PUSH
#define BRISA_END_DECLS BRISA_VISIBILITY_POP }
#else
#define BRISA_BEGIN_DECLS BRISA_VISIBILITY_PUSH
#define BRISA_END_DECLS BRISA_VISIBILITY_POP
#endif

#endif
