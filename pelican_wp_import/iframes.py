"""The hosts whose iframes sanitising keeps: a setting the command and the Pelican glue read without
loading the sanitiser (nh3 and lxml) itself."""

# Hosts whose iframes are kept; "host/path" also asks for a path prefix. A host stands for its
# subdomains too (youtube.com for www.youtube.com). Pelican: WP_IMPORT_IFRAME_HOSTS.
IFRAME_HOSTS = (
    "youtube.com", "youtube-nocookie.com", "vimeo.com", "dailymotion.com", "videopress.com",
    "video.wordpress.com", "soundcloud.com", "spotify.com", "bandcamp.com", "mixcloud.com",
    "podcasts.apple.com", "google.com/maps", "maps.google.com", "openstreetmap.org", "twitter.com", "x.com",
    "instagram.com", "tiktok.com", "facebook.com/plugins", "codepen.io", "jsfiddle.net", "twitch.tv",
    "ted.com", "loom.com", "wistia.net", "archive.org", "slideshare.net", "speakerdeck.com",
    "datawrapper.dwcdn.net", "flo.uri.sh", "public.tableau.com", "docs.google.com", "giphy.com",
    "streamable.com",
)
