"""sphinxext-opengraph without matplotlib at start-up.

Works around: sphinxext-opengraph 0.13.0 imports its social-card module, and with it
matplotlib (about 1.6 s), every time Sphinx loads the extension, even with
``ogp_social_cards = {"enable": False}`` (conf.py: the book draws its own cards with
Pillow, ``site/cards.py``). Measured with Sphinx 9.0.4 and matplotlib 3.11.2: a third
of a no-op build. The textbook extension loads before it (conf.py's list), so this
stand-in takes that module's place; it is used only while social cards stay disabled.
Delete when sphinxext-opengraph imports the module lazily.
"""

from __future__ import annotations

import sys
import types

MODULE = "sphinxext.opengraph._social_cards"


def _social_cards_are_disabled(*args, **kwargs):
    raise RuntimeError("the book draws its own link cards: keep ogp_social_cards = {'enable': False}")


def stand_in_for_social_cards() -> None:
    """Put a module without matplotlib where sphinxext-opengraph looks for its social cards."""
    if MODULE in sys.modules:
        return
    module = types.ModuleType(MODULE, "Stand-in: social cards are disabled (textbook.speed.opengraphcards).")
    module.DEFAULT_SOCIAL_CONFIG = {"enable": False}
    module.create_social_card = _social_cards_are_disabled
    sys.modules[MODULE] = module
