// Typed, non-variadic wrappers around libcurl's variadic calls, which Swift cannot call directly.
#ifndef TRIAGE_CCURL_SHIM_H
#define TRIAGE_CCURL_SHIM_H

#include <curl/curl.h>

typedef size_t (*triage_curl_write_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);

static inline CURLcode triage_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode triage_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode triage_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode triage_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode triage_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode triage_curl_setopt_write_callback(CURL *handle, CURLoption option,
                                                        triage_curl_write_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

static inline CURLcode triage_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode triage_curl_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}

#endif
