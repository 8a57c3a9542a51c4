"""Reading monitoring counts from CSV: all or nothing, every bad line named by its number."""
import pytest

from workflow import monitoring_csv, strands
from workflow.errors import Invalid

CES, EA = strands.SETS["ces2004"], strands.SETS["ea2010"]
HEADER = "measure,period,strand,group,count\n"


def refused(text, strand_set=CES):
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(Invalid) as caught:
        monitoring_csv.parse(data, strand_set)
    return caught.value.details


def test_counts_are_read_with_known_names_in_their_house_spelling():
    rows = monitoring_csv.parse((HEADER + "applicants,2006-07,race,white and black caribbean,12\n"
                                 "\n"
                                 "Volunteers ,2006-07 Q3,Religion or belief, muslim ,3\n").encode(), CES)
    assert rows == [
        {"measure": "Applicants", "period": "2006-07", "strand": "race", "group": "White and Black Caribbean",
         "count": 12},
        {"measure": "Volunteers", "period": "2006-07 Q3", "strand": "religion_belief", "group": "Muslim",
         "count": 3}]


def test_the_columns_may_come_in_any_order_and_excel_s_byte_order_mark_is_no_mistake():
    data = "\ufeffCount,Group,Strand,Period,Measure\r\n7,Disabled,disability,2007-08,Leavers\r\n".encode()
    assert monitoring_csv.parse(data, CES) == [
        {"measure": "Leavers", "period": "2007-08", "strand": "disability", "group": "Disabled", "count": 7}]


def test_every_bad_line_is_named_by_its_number():
    details = refused(HEADER
                      + "Applicants,2006-07,race,Indian,12\n"        # 2: fine
                      + "Applicants,2006-07,race,Indian\n"           # 3: a column missing
                      + "Applicants,2006-07,race,Indian,12,4\n"      # 4: a column too many
                      + "Applicants,2006-07,race,Pakistani,twelve\n"  # 5: bad count
                      + "Applicants,2006-07,race,Chinese,-1\n"       # 6: negative count
                      + "Applicants,2006-07,colour,Irish,1\n"        # 7: unknown strand
                      + "Applicants,2006,race,Roma,1\n"              # 8: bad period
                      + " ,2006-07,race,Arab,1\n"                    # 9: blank measure
                      + "Applicants,2006-07,race,,1\n"               # 10: blank group
                      + "applicants,2006-07,Race,INDIAN,5\n"         # 11: repeats line 2
                      + "Applicants,2006-07,sex,Female,5\n"          # 12: strand outside the 2004 set
                      + "Applicants,2006-07,race,Other White,10000001\n")  # 13: too large
    assert set(details) == {f"line {n}" for n in range(3, 14)}
    assert "It has 4 values" in details["line 3"] and "It has 6 values" in details["line 4"]
    assert 'not "twelve"' in details["line 5"] and 'not "-1"' in details["line 6"]
    assert 'not "colour"' in details["line 7"] and 'not "2006"' in details["line 8"]
    assert details["line 9"] == "Enter a measure" and details["line 10"] == "Enter a group"
    assert "repeats the count of line 2" in details["line 11"]
    assert "Sex is not one of this dataset's strands" in details["line 12"]
    assert "10,000,000" in details["line 13"]


def test_a_line_with_several_mistakes_names_them_all():
    details = refused(HEADER + "Applicants,1066,wealth,Indian,lots\n")
    assert details["line 2"].count(". ") == 2 and "1066" in details["line 2"] and "wealth" in details["line 2"]


def test_the_strand_set_decides_which_strands_a_file_may_hold():
    data = (HEADER + "Staff in post,2007-08,sex,female,40\n").encode()
    assert monitoring_csv.parse(data, EA)[0]["group"] == "Female"
    assert "line 2" in refused(data, CES)


def test_a_row_is_named_by_the_line_it_starts_on():
    details = refused(HEADER + '"Appli\ncants",2006-07,race,Irish,1,2\nApplicants,2006-07,race,Roma,x\n')
    assert set(details) == {"line 2", "line 4"}


@pytest.mark.parametrize("text, says", [
    ("", "The file is empty"),
    ("\n\n", "The file is empty"),
    ("measure,period,strand,group\nApplicants,2006-07,race,Irish\n", "names the columns"),
    ("measure,period,strand,group,count,note\n", "names the columns"),
    ("Applicants,2006-07,race,Irish,4\n", "names the columns"),
])
def test_a_file_without_the_header_is_refused(text, says):
    assert says in " ".join(refused(text).values())


@pytest.mark.parametrize("data, says", [
    ((HEADER + "Applicants,2006-07,race,Irish,4\n").encode("utf-16"), "UTF-16"),
    ((HEADER + "Applicants,2006-07,race,Gypsy or Irish Traveller,4\nLeavers,2006-07,age,Ä,1\n").encode("latin-1"),
     "not UTF-8"),
    (b"PK\x03\x04\x00\x00binary", "binary"),
])
def test_a_file_that_is_not_utf8_text_is_refused_in_plain_words(data, says):
    assert says in refused(data)["file"]
