"""Statement splitting and lexical tokens (matchmaking/text.py): pure string functions."""

from matchmaking.text import split_sentences, split_statements, tokens


def test_projects_joined_by_bars_become_statements():
    text = "Weld seam inspection. Cameras find cracks. | Route planning. Delivery fleets save fuel."
    assert split_statements(text) == [
        "Weld seam inspection. Cameras find cracks.",
        "Route planning. Delivery fleets save fuel.",
    ]


def test_bullet_lines_become_statements():
    text = "We offer:\n- computer vision for quality inspection\n- forecasting of energy demand"
    assert split_statements(text)[-1] == "forecasting of energy demand"


def test_short_fragment_is_glued_to_its_neighbour():
    assert split_statements("Skills\nComputer vision for industrial quality inspection") == [
        "Skills Computer vision for industrial quality inspection"
    ]


def test_long_statement_is_cut_at_sentence_ends():
    sentence = "Deep learning finds defects in weld seams on steel frames. "
    statements = split_statements(sentence * 30, max_chars=300)
    assert all(len(s) <= 300 and s.endswith(".") for s in statements)


def test_sentences_of_a_short_text():
    assert split_sentences("Wir prüfen Nähte. Risse werden erkannt!") == [
        "Wir prüfen Nähte.",
        "Risse werden erkannt!",
    ]


def test_tokens_drop_stopwords_and_fold_plurals_and_accents():
    assert tokens("The cameras für Schweißnähte") == ["camera", "schweissnahte"]


def test_tokens_keep_short_acronyms():
    assert tokens("IoT and LED lighting") == ["iot", "led", "lighting"]
