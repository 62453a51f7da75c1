"""Settings shared by the loader, the store and the API, read once from the environment."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .vocab import DEFAULT_NAMESPACE, SG as ONTOLOGY_NS  # noqa: F401 (ONTOLOGY_NS: until every module imports vocab)


def _env_path(name: str, default: str) -> Path:
    return Path(os.environ.get(name, default)).expanduser()


# A problem in O*NET's own text (a task, a descriptor, a DWA) is the O*NET Center's to correct: its contact.
DEFAULT_CORRECTION_URL = "mailto:onet@onetcenter.org?subject={subject}&body={body}"
# A problem with an anchor (which statement a task or descriptor grounds, the machine's or the
# editors') is this project's, never O*NET's: its maintainers, at the deployment's address (the
# placeholder host of deploy/w3id.org). A deployment sets its own, e.g. its issue form
# https://github.com/OWNER/REPO/issues/new?title={subject}&body={body}
DEFAULT_ANCHOR_REPORT_URL = "mailto:maintainers@skillsgraph.example.org?subject={subject}&body={body}"


@dataclass(frozen=True)
class Settings:
    """Where things live and what IRIs look like.

    The namespace is the one setting that shapes every minted IRI; it must end with
    '/' so that paths under it map one-to-one onto the server's URL paths.
    """

    namespace: str = field(default_factory=lambda: os.environ.get("SKILLSGRAPH_NAMESPACE", DEFAULT_NAMESPACE))
    home: Path = field(default_factory=lambda: _env_path("SKILLSGRAPH_HOME", "var"))
    # Where the server is reached from outside, behind a proxy (its links are located there);
    # None: at each request's own base URL. IRIs stay in the namespace either way.
    public_url: str | None = field(default_factory=lambda: os.environ.get("SKILLSGRAPH_PUBLIC_URL") or None)
    # Where "Suggest an O*NET correction" sends a reader (README "Source anchors"): a URL or mailto
    # template whose {iri}, {subject} and {body} are filled in, URL-encoded.
    correction_url: str = field(default_factory=lambda: os.environ.get("SKILLSGRAPH_CORRECTION_URL", DEFAULT_CORRECTION_URL))
    # Where "Report a problem with this anchor" sends a reader: the same kind of template.
    anchor_report_url: str = field(default_factory=lambda: os.environ.get("SKILLSGRAPH_ANCHOR_REPORT_URL",
                                                                          DEFAULT_ANCHOR_REPORT_URL))

    def __post_init__(self) -> None:
        if not self.namespace.endswith("/"):
            raise ValueError(f"SKILLSGRAPH_NAMESPACE must end with '/': got {self.namespace!r}")
        if self.public_url is not None:
            if not self.public_url.startswith(("http://", "https://")) or "?" in self.public_url or "#" in self.public_url:
                raise ValueError("SKILLSGRAPH_PUBLIC_URL must be an http(s) URL without query or fragment, "
                                 f"e.g. https://skills.example.org/: got {self.public_url!r}")
            if not self.public_url.endswith("/"):
                object.__setattr__(self, "public_url", self.public_url + "/")
        for name, template in (("SKILLSGRAPH_CORRECTION_URL", self.correction_url),
                               ("SKILLSGRAPH_ANCHOR_REPORT_URL", self.anchor_report_url)):
            # A link out only: a reader's report never reaches the server, so it cannot write to the graph.
            if not template.startswith(("https://", "http://", "mailto:")) or "{iri}" not in template.replace("{body}", "{iri}"):
                raise ValueError(f"{name} must be an http(s) or mailto URL naming {{iri}} or {{body}}: got {template!r}")

    @property
    def build_file(self) -> Path:
        return self.home / "skillsgraph.nq"

    @property
    def published_file(self) -> Path:
        """Where a build writes the graphs of the published files bundled with the data."""
        return self.home / "published.nq"
