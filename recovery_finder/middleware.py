from django.conf import settings

# Only our own origin, and no inline script: this is what enforces the promise of
# no third-party requests. Views that may be framed (the embed) relax
# frame-ancestors themselves by setting response.csp_frame_ancestors; the street map a
# visitor asked for (MAP_TILES_URL) adds its tile server to img-src (response.csp_img_src).
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:{img_src}; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'; frame-ancestors {frame_ancestors}"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(settings.STATIC_URL):
            return response
        frame_ancestors = getattr(response, "csp_frame_ancestors", "'none'")
        img_src = getattr(response, "csp_img_src", "")
        policy = POLICY.format(frame_ancestors=frame_ancestors,
                               img_src=f" {img_src}" if img_src else "")
        response.setdefault("Content-Security-Policy", policy)
        response.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        return response
